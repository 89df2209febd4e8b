"""The coaching group pages as their people use them, in Finnish: the coach
(worker1) makes a group, adds the demo coachee `valmennettava` and opens the
group's page; the coachee opens it from their coaching page. axe finds
nothing on either page (also with a refused file beside the file field), and
both read at 320 px without scrolling sideways."""

from __future__ import annotations

import uuid

from conftest import WORKER1, check_page, sign_in, sign_in_member

SLUG = "valmennus"
FI = {"locale": "fi-FI"}



def test_the_group_pages_of_coach_and_member(new_context, server, tmp_path):
    name = f"Ryhmä {uuid.uuid4().hex[:6]}"
    coach = new_context(**FI).new_page()
    sign_in(coach, server, WORKER1)
    coach.goto(f"{server.url}/coaching/{SLUG}")
    coach.fill("#group-name", name)
    with coach.expect_navigation():
        coach.get_by_role("button", name="Tee ryhmä").click()
    group = coach.locator("section.card", has=coach.get_by_role("heading", name=name))
    group.get_by_role("combobox").select_option(label="valmennettava")
    with coach.expect_navigation():
        group.get_by_role("button", name="Lisää").click()
    coach.get_by_role("link", name=name).click()
    coach.wait_for_url(f"{server.url}/coaching/{SLUG}/groups/*")
    assert coach.get_by_role("heading", name="valmennettava").count() == 1
    check_page(coach)

    member = new_context(viewport={"width": 320, "height": 800}, **FI).new_page()
    sign_in_member(member, server, "valmennettava")
    member.goto(f"{server.url}/my/coaching/{SLUG}")
    member.get_by_role("link", name=name).click()
    member.wait_for_url(f"{server.url}/my/coaching/{SLUG}/groups/*")
    assert member.get_by_role("heading", name=name, level=1).count() == 1
    check_page(member)

    # A file whose name says PDF but whose bytes are HTML: refused beside the field.
    fake = tmp_path / "lasku.pdf"
    fake.write_text("<!DOCTYPE html><html><body>x</body></html>")
    member.set_input_files("#thread-file", str(fake))
    with member.expect_navigation():
        member.get_by_role("button", name="Lähetä tiedosto").click()
    assert member.locator("#thread-file[aria-invalid=true]").count() == 1
    assert member.get_by_text("Tällaista tiedostoa ei voi lähettää tähän.").count() == 1
    check_page(member)
