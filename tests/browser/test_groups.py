"""A group as its people use it: the coordinator opens the relatives' group
to everyone as a peer group; two people make accounts, read and accept the
rules and join under nicknames; they talk live; one reports the other's
message and the worker removes it from the room; both see it removed. axe
checks every group page, and the member pages work at 320 px."""

from __future__ import annotations

import re

from axe_check import assert_no_axe_violations
from conftest import COORDINATOR, WORKER1, sign_in

SLUG = "omaisryhma"


def make_member(page, server, nickname: str) -> None:
    page.goto(f"{server.url}/g/{SLUG}")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Create an account").click()
    assert_no_axe_violations(page)
    page.fill("#nickname", nickname)
    page.fill("#password", "salasana-123")
    page.fill("#repeat", "salasana-123")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(f"{server.url}/g/{SLUG}")


def join(page, server, nickname: str) -> None:
    page.fill("#nickname", nickname)
    # Joining without accepting the rules names the checkbox.
    page.get_by_role("button", name="Join the group").click()
    page.locator("#accept-error").wait_for()
    assert_no_axe_violations(page)
    page.fill("#nickname", nickname)
    page.get_by_label("I have read the rules and accept them.").check()
    page.get_by_role("button", name="Join the group").click()
    page.wait_for_url(f"{server.url}/g/{SLUG}/room")
    page.locator("#connection[data-state=online]").wait_for()
    assert_no_axe_violations(page)


def test_join_talk_report_and_remove(new_context, server):
    coordinator = new_context().new_page()
    sign_in(coordinator, server, COORDINATOR)
    coordinator.goto(server.url + "/admin")
    coordinator.get_by_role("link", name="Groups", exact=True).click()
    assert_no_axe_violations(coordinator)
    coordinator.get_by_role("link", name="Group for relatives").click()
    assert_no_axe_violations(coordinator)
    coordinator.get_by_label("Peer group, always on").check()
    coordinator.get_by_label("Open: anyone with the link").check()
    coordinator.fill("#rulesEn", "Be kind. What is said here stays here.")
    coordinator.get_by_role("button", name="Save").click()
    coordinator.get_by_text("Saved.").wait_for()

    aino = new_context(viewport={"width": 320, "height": 800}).new_page()
    make_member(aino, server, "Aino Browser")
    assert "What is said here stays here." in aino.locator("#rules-text").inner_text()
    assert aino.evaluate("document.documentElement.scrollWidth") <= 320
    join(aino, server, "Aino")

    bertta = new_context().new_page()
    make_member(bertta, server, "Bertta Browser")
    join(bertta, server, "Pihlaja")

    aino.fill("#message", "Hei, olen uusi täällä.")
    aino.locator("#message").press("Enter")
    incoming = bertta.locator(".log .msg", has_text="Hei, olen uusi täällä.")
    incoming.wait_for()
    assert incoming.locator(".msg-from").inner_text() == "Aino"

    # Bertta reports it, by keyboard-reachable controls.
    incoming.get_by_role("button", name="Report").click()
    bertta.get_by_label("Why are you reporting it?").fill("Tämä on testi-ilmoitus")
    bertta.get_by_role("button", name="Send report").click()
    incoming.get_by_text("Report sent. Thank you.").wait_for()
    assert_no_axe_violations(bertta)

    worker = new_context().new_page()
    sign_in(worker, server, WORKER1)
    worker.goto(f"{server.url}/g/{SLUG}/moderation")
    assert_no_axe_violations(worker)
    assert "Tämä on testi-ilmoitus" in worker.locator("main").inner_text()
    worker.goto(f"{server.url}/g/{SLUG}/room")
    worker.locator("#connection[data-state=online]").wait_for()
    reported = worker.locator(".log .msg", has_text="Hei, olen uusi täällä.")
    reported.get_by_role("button", name="Remove message").click()
    assert_no_axe_violations(worker)

    # Everyone sees it removed, at once.
    for page in (aino, bertta, worker):
        page.locator(".log .msg-removed", has_text="A moderator removed this message.").wait_for()
    assert bertta.locator(".log", has_text="Hei, olen uusi täällä.").count() == 0
    # And after a reload, from the server.
    bertta.reload()
    bertta.locator(".log .msg-removed").wait_for()
    assert "Hei, olen uusi täällä." not in bertta.locator(".log").inner_text()

    # Her own page: download and erase are there, and pass axe.
    aino.goto(server.url + "/account")
    assert_no_axe_violations(aino)
    assert aino.get_by_role("link", name="Download your data").is_visible()
    assert re.search(r"Aino Browser", aino.locator("main").inner_text())


def test_apply_to_a_screened_group_and_be_accepted(new_context, server):
    coordinator = new_context().new_page()
    sign_in(coordinator, server, COORDINATOR)
    coordinator.goto(server.url + "/admin/groups")
    coordinator.get_by_role("link", name="Group for relatives").click()
    coordinator.get_by_label("Peer group, always on").check()
    coordinator.get_by_label("By application: a worker reads it").check()
    coordinator.fill("#questionsFi", "Kuka olet?\nMitä toivot ryhmältä?")
    coordinator.fill("#questionsEn", "Who are you?\nWhat do you hope for from the group?")
    coordinator.get_by_role("button", name="Save").click()
    coordinator.get_by_text("Saved.").wait_for()
    assert_no_axe_violations(coordinator)

    applicant = new_context().new_page()
    make_member(applicant, server, "Hakija Browser")
    assert_no_axe_violations(applicant)
    applicant.fill("#nickname", "Kuusi")
    applicant.get_by_label("Who are you?").fill("A relative of someone with psychosis.")
    # A missing answer is named beside its question, and the rest is kept.
    applicant.get_by_label("I have read the rules and accept them.").check()
    applicant.get_by_role("button", name="Send application").click()
    applicant.locator("#answer-1-error").wait_for()
    assert_no_axe_violations(applicant)
    assert applicant.get_by_label("Who are you?").input_value() == "A relative of someone with psychosis."
    applicant.get_by_label("What do you hope for from the group?").fill("Peer support on Tuesdays.")
    applicant.get_by_label("I have read the rules and accept them.").check()
    applicant.get_by_role("button", name="Send application").click()
    applicant.get_by_text("Your application is sent.").wait_for()

    worker = new_context().new_page()
    sign_in(worker, server, WORKER1)
    worker.goto(f"{server.url}/g/{SLUG}/moderation")
    card = worker.locator("section.card", has_text="Peer support on Tuesdays.")
    card.wait_for()
    assert_no_axe_violations(worker)
    card.get_by_label("Accept as a member").check()
    card.get_by_label("Message to the applicant").fill("Welcome to the group!")
    card.get_by_role("button", name="Save the decision").click()
    worker.get_by_text("No open applications.").wait_for()

    applicant.reload()
    applicant.get_by_role("link", name="Go to the conversation").click()
    applicant.locator("#connection[data-state=online]").wait_for()
    assert_no_axe_violations(applicant)


def test_every_group_page_passes_axe(new_context, server):
    """The pages not met above: the weekly programme, the invitation code of
    a closed group, a Q&A group's questions, and a staff-only working group's
    people page (a new non-public group made through the services page)."""
    worker = new_context(viewport={"width": 320, "height": 800}).new_page()
    sign_in(worker, server, WORKER1)
    worker.goto(f"{server.url}/g/{SLUG}/programme")
    assert_no_axe_violations(worker)
    worker.select_option("#weekday", "3")
    worker.fill("#start", "9.30")
    worker.fill("#titleFi", "Aamukahvit")
    worker.fill("#titleEn", "Morning coffee")
    worker.get_by_role("button", name="Add", exact=True).click()
    worker.get_by_text("Morning coffee").first.wait_for()
    worker.fill("#start", "25")
    worker.get_by_role("button", name="Add", exact=True).click()
    worker.locator("#start-error").wait_for()
    assert_no_axe_violations(worker)
    assert worker.evaluate("document.documentElement.scrollWidth") <= 320

    coordinator = new_context().new_page()
    sign_in(coordinator, server, COORDINATOR)
    coordinator.goto(server.url + "/admin/groups")
    coordinator.get_by_role("link", name="Group for relatives").click()
    coordinator.get_by_label("Q&A group: members ask, workers answer").check()
    coordinator.get_by_label("Closed: with an invitation code only").check()
    coordinator.get_by_role("button", name="Save").click()
    coordinator.get_by_text("Saved.").wait_for()

    worker.set_viewport_size({"width": 1280, "height": 800})
    worker.goto(f"{server.url}/g/{SLUG}/moderation")
    worker.get_by_role("button", name="Make an invitation code").click()
    code = worker.locator("#invitation-code").inner_text()
    assert re.fullmatch(r"[a-z0-9]{10}", code)
    assert_no_axe_violations(worker)

    member = new_context().new_page()
    make_member(member, server, "Kysyjä Browser")
    member.fill("#nickname", "Kysyjä")
    member.fill("#invitation", code)
    member.get_by_label("I have read the rules and accept them.").check()
    member.get_by_role("button", name="Join the group").click()
    member.wait_for_url(f"{server.url}/g/{SLUG}/room")
    member.goto(f"{server.url}/g/{SLUG}/questions")
    assert_no_axe_violations(member)
    member.fill("#body", "Saako ryhmään tulla kesken syksyn?")
    member.get_by_label("Ask anonymously").check()
    member.get_by_role("button", name="Send question").click()
    member.get_by_text("waiting for an answer").wait_for()
    assert_no_axe_violations(member)

    worker.goto(f"{server.url}/g/{SLUG}/questions")
    worker.get_by_label("Your answer").fill("Saa. Tervetuloa milloin vain.")
    worker.get_by_role("button", name="Answer", exact=True).click()
    worker.get_by_text("Saa. Tervetuloa milloin vain.").wait_for()
    assert_no_axe_violations(worker)

    # A working group: a new non-public group service, staff only.
    coordinator.goto(server.url + "/admin/services/new")
    coordinator.fill("#nameFi", "Etätyön työryhmä")
    coordinator.fill("#nameEn", "Remote work group")
    coordinator.fill("#slug", "etatyo")
    coordinator.select_option("#kind", "group")
    coordinator.locator("#isPublic").uncheck()
    coordinator.get_by_role("button", name="Save").click()
    coordinator.goto(server.url + "/admin/groups")
    coordinator.get_by_role("link", name="Remote work group").click()
    coordinator.get_by_label("Staff only: the network's working group, for those invited").check()
    coordinator.fill("#rulesFi", "Luottamuksellista.")
    coordinator.get_by_role("button", name="Save").click()
    coordinator.get_by_text("Saved.").wait_for()
    coordinator.goto(server.url + "/g/etatyo/people")
    assert_no_axe_violations(coordinator)
    coordinator.get_by_label("Työntekijä 2").check()
    coordinator.get_by_role("button", name="Save").click()
    coordinator.get_by_text("Saved.").wait_for()
    assert coordinator.get_by_label("Työntekijä 2").is_checked()
    # A member of the public sees no such group.
    assert member.goto(server.url + "/g/etatyo").status == 404


def test_rules_changed_banned_and_application_states_pass_axe(new_context, server):
    """The states a member meets after joining or applying: rules changed
    (and accepting them without the box ticked), banned from the member
    list by a worker, and an application waiting, in interview and declined."""
    coordinator = new_context().new_page()
    sign_in(coordinator, server, COORDINATOR)

    def settings(access: str, rules: str, questions: str = "") -> None:
        coordinator.goto(server.url + "/admin/groups")
        coordinator.get_by_role("link", name="Group for relatives").click()
        coordinator.get_by_label("Peer group, always on").check()
        coordinator.get_by_label(access).check()
        coordinator.fill("#rulesEn", rules)
        coordinator.fill("#questionsFi", questions)
        coordinator.fill("#questionsEn", questions)
        coordinator.get_by_role("button", name="Save").click()
        coordinator.get_by_text("Saved.").wait_for()

    settings("Open: anyone with the link", "Be kind.")
    member = new_context(viewport={"width": 320, "height": 800}).new_page()
    make_member(member, server, "Muutos Browser")
    member.fill("#nickname", "Muutos")
    member.get_by_label("I have read the rules and accept them.").check()
    member.get_by_role("button", name="Join the group").click()
    member.wait_for_url(f"{server.url}/g/{SLUG}/room")

    settings("Open: anyone with the link", "Be kind. No advertising.")
    member.goto(f"{server.url}/g/{SLUG}")
    member.get_by_role("heading", name="The rules have changed").wait_for()
    assert_no_axe_violations(member)
    member.get_by_role("button", name="Accept and go on").click()
    member.locator("#accept-error").wait_for()
    assert_no_axe_violations(member)

    # A worker bans her from the member list, though she never wrote.
    worker = new_context().new_page()
    sign_in(worker, server, WORKER1)
    worker.goto(f"{server.url}/g/{SLUG}/moderation")
    row = worker.locator("tr", has_text="Muutos")
    row.locator("summary").click()
    assert_no_axe_violations(worker)
    row.get_by_label("Ban", exact=True).check()
    row.get_by_label("Length of the ban in days").fill("7")
    row.get_by_label("Reason").fill("Mainostaa")
    row.get_by_role("button", name="Take out of the group").click()
    worker.locator("tr", has_text="Muutos").get_by_role("button", name="Lift the ban").wait_for()
    assert_no_axe_violations(worker)
    member.goto(f"{server.url}/g/{SLUG}")
    member.get_by_text("You are banned from this group until").wait_for()
    assert "Mainostaa" in member.locator("main").inner_text()
    assert_no_axe_violations(member)
    worker.locator("tr", has_text="Muutos").get_by_role("button", name="Lift the ban").click()
    worker.locator("tr", has_text="Muutos").locator("summary").wait_for()

    # Applying: waiting, an interview booked, declined.
    settings("By application: a worker reads it", "Be kind.", "Why do you want to join?")
    applicant = new_context(viewport={"width": 320, "height": 800}).new_page()
    make_member(applicant, server, "Tila Browser")
    applicant.fill("#nickname", "Tila")
    applicant.get_by_label("Why do you want to join?").fill("To meet others.")
    applicant.get_by_label("I have read the rules and accept them.").check()
    applicant.get_by_role("button", name="Send application").click()
    applicant.get_by_text("Your application is sent.").wait_for()
    assert_no_axe_violations(applicant)

    worker.goto(f"{server.url}/g/{SLUG}/moderation")
    card = worker.locator("section.card", has_text="To meet others.")
    card.get_by_label("Book an interview").check()
    card.get_by_label("Message to the applicant").fill("Thursday at 14, by phone.")
    card.get_by_role("button", name="Save the decision").click()
    applicant.reload()
    applicant.get_by_text("Thursday at 14, by phone.").wait_for()
    assert_no_axe_violations(applicant)

    worker.goto(f"{server.url}/g/{SLUG}/moderation")
    card = worker.locator("section.card", has_text="To meet others.")
    card.get_by_label("Decline").check()
    card.get_by_label("Message to the applicant").fill("The group is full now.")
    card.get_by_role("button", name="Save the decision").click()
    worker.get_by_text("No open applications.").wait_for()
    applicant.reload()
    applicant.get_by_text("The group is full now.").wait_for()
    assert_no_axe_violations(applicant)
