"""Coaching as its people use it, in Finnish: the coach (worker1) gives the
demo coachee `valmennettava` a checklist task; the coachee ticks the steps
and answers by keyboard; the coach sends it back with feedback; the coachee
answers again; the coach accepts; both see it done. They also write in
their thread. A new person takes up an invitation code through the join
page, signing up on the way, and gets a task with the bank's client
material, shown by its title. Refused forms keep what was typed. axe finds
nothing on any coaching page, and each page reads at 320 px without
scrolling sideways."""

from __future__ import annotations

import re
from datetime import date, timedelta

from conftest import WORKER1, check_page, sign_in, sign_in_member

SLUG = "valmennus"
FI = {"locale": "fi-FI"}



def open_task(page, title: str):
    return page.locator("section.card", has=page.get_by_role("heading", name=title, exact=True))


def section(page, key: str):
    """The tasks of one status (late, open, answered, done)."""
    return page.locator(f"section[aria-labelledby=section-{key}]")


def reload_after_event(page) -> None:
    """The thread says a task changed; its link reloads the page."""
    link = page.locator("#thread-status a")
    link.wait_for(timeout=20_000)
    with page.expect_navigation():
        link.click()


def test_checklist_task_back_and_forth(new_context, server):
    coach = new_context(**FI).new_page()
    sign_in(coach, server, WORKER1)
    coach.get_by_role("link", name="Valmennus", exact=True).click()
    coach.wait_for_url(server.url + "/coaching")
    check_page(coach)
    coach.get_by_role("link", name="Nuorten valmennus").click()
    coach.wait_for_url(f"{server.url}/coaching/{SLUG}")
    check_page(coach)
    coach.get_by_role("link", name="valmennettava", exact=True).click()
    coach.locator("#connection[data-state=online]").wait_for()
    check_page(coach)
    coachee_page_url = coach.url

    # A checklist without steps is refused; what the coach typed stays.
    title = "Aamun askeleet"
    coach.fill("#title", title)
    coach.fill("#instructions", "Tee nämä aamulla.\nOhje: https://example.fi/aamu.")
    coach.get_by_label("Tarkistuslista", exact=True).check()
    coach.get_by_role("button", name="Anna tehtävä").click()
    coach.locator(".error-summary").wait_for()
    assert coach.locator("#title").input_value() == title
    assert "https://example.fi/aamu" in coach.locator("#instructions").input_value()
    assert coach.locator("#checklist[aria-invalid=true]").count() == 1
    check_page(coach)
    coach.fill("#checklist", "Herää\nSyö aamupala\nLähde ulos")
    coach.fill("#dueDate", (date.today() + timedelta(days=3)).isoformat())
    coach.fill("#dueTime", "12:00")
    coach.get_by_role("button", name="Anna tehtävä").click()
    coach.wait_for_url(re.compile(re.escape(coachee_page_url) + "#tasks$"))
    task = open_task(coach, title)
    assert title in section(coach, "open").text_content()
    assert task.get_by_role("link", name="https://example.fi/aamu").get_attribute("href") == "https://example.fi/aamu"

    # The coachee, in a narrow window.
    member = new_context(viewport={"width": 320, "height": 800}, **FI).new_page()
    sign_in_member(member, server, "valmennettava")
    member.goto(server.url + "/account")
    member.get_by_role("link", name=re.compile("Oma valmennus")).click()
    member.wait_for_url(server.url + "/my/coaching")
    check_page(member)
    member.get_by_role("link", name="Nuorten valmennus").click()
    member.locator("#connection[data-state=online]").wait_for()
    check_page(member)

    # The thread, both ways.
    coach.reload()
    coach.locator("#connection[data-state=online]").wait_for()
    coach.fill("#message", "Hei! Sait uuden tehtävän.")
    coach.press("#message", "Enter")
    member.locator(".log .msg", has_text="Hei! Sait uuden tehtävän.").wait_for()

    # Ticks two steps and answers, by keyboard only.
    mine = open_task(member, title)
    mine.get_by_label("Herää").focus()
    member.keyboard.press("Space")
    member.keyboard.press("Tab")
    member.keyboard.press("Space")
    member.keyboard.press("Tab")  # "Lähde ulos" stays unticked
    member.keyboard.press("Tab")
    member.keyboard.type("Ulos en vielä ehtinyt.")
    member.keyboard.press("Tab")
    with member.expect_navigation():
        member.keyboard.press("Enter")
    answered = open_task(member, title)
    assert title in section(member, "answered").text_content()
    assert "Syö aamupala" in answered.text_content()
    check_page(member)

    # The coach hears of it; sending back without feedback is refused, the answer kept.
    reload_after_event(coach)
    task = open_task(coach, title)
    assert "Ulos en vielä ehtinyt." in task.text_content()
    task.get_by_role("button", name="Palauta tehtäväksi").click()
    coach.locator(".error-summary").wait_for()
    check_page(coach)
    task = open_task(coach, title)
    task.get_by_label("Palaute", exact=True).fill("Hyvä alku! Lähde vielä ulos.")
    task.get_by_role("button", name="Palauta tehtäväksi").click()
    coach.wait_for_url(re.compile("#task-"))

    # The coachee reads the feedback and answers again, by keyboard.
    reload_after_event(member)
    again = open_task(member, title)
    assert "Hyvä alku! Lähde vielä ulos." in again.text_content()
    again.get_by_label("Lähde ulos").focus()
    member.keyboard.press("Space")
    member.keyboard.press("Tab")
    member.keyboard.type("Nyt kävin ulkona.")
    member.keyboard.press("Tab")
    with member.expect_navigation():
        member.keyboard.press("Enter")

    reload_after_event(coach)
    task = open_task(coach, title)
    task.get_by_role("button", name="Hyväksy").click()
    coach.wait_for_url(re.compile("#task-"))
    assert title in section(coach, "done").text_content()
    assert "valmis" in open_task(coach, title).text_content()
    check_page(coach)

    reload_after_event(member)
    assert title in section(member, "done").text_content()
    done = open_task(member, title)
    assert "Hyväksytty" in done.text_content()
    check_page(member)

    # The progress table counts the rounds of this week.
    progress = coach.locator("#progress + dl")
    assert progress.count() == 1
    assert coach.locator("table caption", has_text="Viikoittain").count() == 1


def test_invitation_through_the_join_page(new_context, server):
    coach = new_context(**FI).new_page()
    sign_in(coach, server, WORKER1)
    coach.goto(f"{server.url}/coaching/{SLUG}")
    coach.get_by_role("button", name="Tee kutsukoodi").click()
    link = coach.locator("#invitation-link").text_content().strip()
    code = coach.locator("#invitation-code").text_content().strip()
    assert link.endswith(f"/coaching/join?code={code}")
    check_page(coach)

    person = new_context(viewport={"width": 320, "height": 800}, **FI).new_page()
    person.goto(link)
    check_page(person)
    person.get_by_role("link", name="Tee tili").click()
    person.fill("#nickname", "Uusi valmennettava")
    person.fill("#password", "salasana-123")
    person.fill("#repeat", "salasana-123")
    person.get_by_role("button", name="Tee tili").click()
    person.wait_for_url(re.compile(r"/coaching/join\?code="))
    check_page(person)
    assert person.locator("#code").input_value() == code

    # A wrong code is refused and stays in the field; the right one works once.
    person.fill("#code", "vaarakoodi")
    person.get_by_role("button", name="Ota kutsu vastaan").click()
    person.locator(".error-summary").wait_for()
    assert person.locator("#code").input_value() == "vaarakoodi"
    check_page(person)
    person.fill("#code", code)
    person.get_by_role("button", name="Ota kutsu vastaan").click()
    person.wait_for_url(f"{server.url}/my/coaching/{SLUG}")
    assert person.locator("h1").text_content() == "Nuorten valmennus"
    person.locator("#connection[data-state=online]").wait_for()
    check_page(person)

    coach.goto(f"{server.url}/coaching/{SLUG}")
    assert coach.get_by_role("link", name="Uusi valmennettava").count() == 1

    # The new coachee's first task carries the bank's client material, picked
    # by keyboard; a bank pick and an address together are refused.
    coach.get_by_role("link", name="Uusi valmennettava").click()
    coach.locator("#connection[data-state=online]").wait_for()
    bank = "Pankkitunnukset puhelimessa – selkoopas"
    coach.fill("#title", "Lue pankin opas")
    coach.focus("#bank")
    coach.select_option("#bank", label=bank)
    coach.fill("#material", "https://example.fi/opas")
    coach.get_by_role("button", name="Anna tehtävä").click()
    coach.locator(".error-summary").wait_for()
    assert coach.locator("#bank[aria-invalid=true]").count() == 1
    assert coach.locator("#bank option:checked").text_content() == bank
    check_page(coach)
    coach.fill("#material", "")
    coach.get_by_role("button", name="Anna tehtävä").click()
    coach.wait_for_url(re.compile("#tasks$"))
    assert open_task(coach, "Lue pankin opas").get_by_role("link", name=bank).get_attribute("href").startswith("/materials/")
    person.reload()
    link = open_task(person, "Lue pankin opas").get_by_role("link", name=bank)
    assert link.get_attribute("href").startswith("/materials/")
    check_page(person)
