"""Reach-out as its people use it, in Finnish: worker1 opens today's list and
logs three outcomes by keyboard only (Tab, Shift+Tab, Enter and Space, with
JavaScript on): Aino did not answer (with a note), then Aino was reached,
then a message was left for Matti. Each row changes in place, the live
region says what was logged, focus stays on the button pressed, and a reload
shows the same. The coordinator sees Matti's escalations (the repeated one
said in words, not colour alone) with the plan's history, and closes one by
keyboard with a note. "Contact through the chat" opens the live thread with
the registered client. axe finds nothing and the pages read at 320 px
without scrolling sideways."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from conftest import COORDINATOR, WORKER1, check_page, sign_in

FI = {"locale": "fi-FI"}
AINO = "Aino, 040 123 4567"
MATTI = "Matti, 050 765 4321"


def row(page, name: str):
    return page.locator("li.contact", has=page.get_by_role("heading", name=re.compile(re.escape(name))))


def focused(locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def tab_to(page, target, limit: int = 300) -> None:
    """Moves focus with Tab (or Shift+Tab when the target is above) until it is on the target."""
    backwards = target.evaluate(
        "el => !!document.activeElement && document.activeElement !== document.body"
        " && !!(el.compareDocumentPosition(document.activeElement) & Node.DOCUMENT_POSITION_FOLLOWING)"
    )
    for _ in range(limit):
        if focused(target):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError("the target was not reached with the keyboard")


def test_three_outcomes_by_keyboard_and_the_coordinators_escalations(new_context, server):
    worker = new_context(**FI).new_page()
    sign_in(worker, server, WORKER1)
    worker.goto(server.url + "/reachout")
    expect(worker.get_by_role("heading", level=1)).to_have_text("Yhteydenotot tänään")
    check_page(worker)
    aino, matti = row(worker, AINO), row(worker, MATTI)
    status = worker.locator("#reachout-status")

    # 1. Aino did not answer: a note, then the button, by keyboard.
    tab_to(worker, aino.get_by_label("Muistiinpano (ei pakollinen)"))
    worker.keyboard.type("Ei vastannut. Soitan uudelleen iltapäivällä.")
    no_answer = aino.get_by_role("button", name="Ei vastannut", exact=True)
    tab_to(worker, no_answer)
    worker.keyboard.press("Enter")
    expect(aino.locator("[data-state-text]")).to_have_text("Ei vastannut. Yritä myöhemmin uudelleen.")
    expect(status).to_have_text(f"Kirjattu: {AINO}. Ei vastannut.")
    expect(aino.locator("[data-outcomes]")).to_contain_text("Soitan uudelleen iltapäivällä.")
    assert aino.get_by_label("Muistiinpano (ei pakollinen)").input_value() == ""
    assert focused(no_answer)
    assert worker.url == server.url + "/reachout"  # no page load: the script did it

    # 2. Aino was reached on a second try: Shift+Tab to the button before, Space.
    reached = aino.get_by_role("button", name="Tavoitettu", exact=True)
    tab_to(worker, reached)
    worker.keyboard.press("Space")
    expect(aino.locator("[data-state-text]")).to_have_text("Tavoitettu")
    expect(status).to_have_text(f"Kirjattu: {AINO}. Tavoitettu.")
    assert focused(reached)

    # 3. A message left for Matti.
    left = matti.get_by_role("button", name="Jätin viestin", exact=True)
    tab_to(worker, left)
    worker.keyboard.press("Enter")
    expect(matti.locator("[data-state-text]")).to_have_text("Viesti jätetty. Ei vielä tavoitettu.")
    expect(status).to_have_text(f"Kirjattu: {MATTI}. Jätin viestin.")
    assert focused(left)
    check_page(worker)

    # The server kept the three: the same after a reload.
    worker.reload()
    aino, matti = row(worker, AINO), row(worker, MATTI)
    expect(aino.locator("[data-state-text]")).to_have_text("Tavoitettu")
    expect(matti.locator("[data-state-text]")).to_have_text("Viesti jätetty. Ei vielä tavoitettu.")
    expect(aino.locator("[data-outcomes] li")).to_have_count(2)
    expect(matti.locator("[data-outcomes] li")).to_have_count(1)

    # The registered client's plan: "Contact through the chat" opens the live thread.
    plans = worker.request.get(server.url + "/api/reachout/plans").json()
    chat_plan = next(p["id"] for p in plans if p["registered"] and p["channel"] == "chat")
    worker.goto(f"{server.url}/reachout/plans/{chat_plan}/chat")
    expect(worker.get_by_role("heading", level=1)).to_have_text("Chat: yhteydenpito")
    open_chat = worker.get_by_role("button", name="Ota yhteyttä chatissa")
    tab_to(worker, open_chat)
    with worker.expect_navigation():
        worker.keyboard.press("Enter")
    worker.locator("#connection[data-state=online]").wait_for()
    worker.locator("#message").fill("Hei! Miten menee tänään?")
    worker.press("#message", "Enter")
    worker.locator(".log .msg", has_text="Hei! Miten menee tänään?").wait_for()
    check_page(worker)

    # The coordinator sees Matti's missed days, the repeated one in words too.
    coordinator = new_context(**FI).new_page()
    sign_in(coordinator, server, COORDINATOR)
    coordinator.goto(server.url + "/reachout/escalations")
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Ilmoitukset: ei tavoitettu")
    open_cards = coordinator.locator("#open ~ ol").first.locator("li.escalation")
    mattis = open_cards.filter(has_text=MATTI)
    assert mattis.count() >= 2
    repeated = mattis.filter(has_text="Toinen päivä peräkkäin ilman yhteyttä.")
    assert repeated.count() >= 1
    assert "Kuulumiset hyvät. Menee kerholle torstaina." in mattis.first.text_content()
    check_page(coordinator)

    # Closed by keyboard with a note; it moves under the closed ones.
    first = mattis.first
    card_id = first.get_attribute("id")
    tab_to(coordinator, first.get_by_role("textbox"))
    coordinator.keyboard.type("Soitin Matille itse. Hän voi hyvin.")
    coordinator.keyboard.press("Tab")
    with coordinator.expect_navigation():
        coordinator.keyboard.press("Enter")
    closed = coordinator.locator(f"#{card_id}")
    expect(closed).to_contain_text("Soitin Matille itse. Hän voi hyvin.")
    expect(closed).to_contain_text("Kuittasi")
    assert closed.get_by_role("textbox").count() == 0
    check_page(coordinator)


def test_an_outcome_without_javascript(new_context, server):
    """The same list with JavaScript off: the button posts its form and the
    page comes back at the row, with the new state and the note."""
    worker = new_context(java_script_enabled=False, **FI).new_page()
    sign_in(worker, server, WORKER1)
    worker.goto(server.url + "/reachout")
    matti = row(worker, MATTI)
    plan = matti.get_attribute("data-plan")
    matti.get_by_label("Muistiinpano (ei pakollinen)").fill("Ilman skriptiä.")
    with worker.expect_navigation():
        matti.get_by_role("button", name="Ei vastannut", exact=True).click()
    assert worker.url == f"{server.url}/reachout#contact-{plan}"
    matti = row(worker, MATTI)
    expect(matti.locator("[data-state-text]")).to_have_text("Ei vastannut. Yritä myöhemmin uudelleen.")
    expect(matti.locator("[data-outcomes]")).to_contain_text("Ilman skriptiä.")
    # (axe needs scripts: the same markup is checked above with them on.)
