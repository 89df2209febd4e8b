"""The reach-out plan pages as their people use them, in Finnish: worker1
opens the organisation's plans, makes a plan through the form (a refused one
first: chat needs a registered client; what was typed stays), ends it; the
week view with an absence marked and deleted again; the registered client
`yhteydenpito` sees who contacts them and the decline question, goes back
without declining, and writes in the thread once the worker has opened it. axe finds nothing on any page, and each reads at
320 px without scrolling sideways.

The server is shared with the other tests: the plan made here starts a month
ahead (not on anyone's list today) and is ended; the absence is a month
ahead and deleted; the demo's plans are left as they are."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from conftest import WORKER1, check_page, sign_in, sign_in_member

FI = {"locale": "fi-FI"}


def test_plans_form_and_week(new_context, server):
    ahead = datetime.now(ZoneInfo("Europe/Helsinki")).date() + timedelta(days=30)
    worker = new_context(**FI).new_page()
    sign_in(worker, server, WORKER1)

    worker.goto(f"{server.url}/reachout/plans")
    assert worker.get_by_role("heading", name="Suunnitelmat", level=1).count() == 1
    assert worker.get_by_role("link", name="Aino, 040 123 4567").count() == 1
    check_page(worker)

    worker.get_by_role("link", name="Uusi suunnitelma").click()
    worker.wait_for_url(f"{server.url}/reachout/plans/new")
    check_page(worker)

    # Refused: chat needs a registered client. The field says so; what was typed stays.
    worker.fill("#plan-label", "Selain Testi, 040 000 0000")
    worker.fill("#plan-note", "Tehty selaintestissä.")
    worker.check("#plan-rhythm-weekdays")
    worker.check("#plan-weekday-2")
    worker.check("#plan-weekday-4")
    worker.fill("#plan-starts", ahead.isoformat())
    worker.fill("#plan-time", "14.45")
    worker.select_option("#plan-channel", "chat")
    with worker.expect_navigation():
        worker.get_by_role("button", name="Tee suunnitelma").click()
    worker.locator(".error-summary").wait_for()
    assert worker.locator("#plan-channel[aria-invalid=true]").count() == 1
    assert worker.locator("#plan-label").input_value() == "Selain Testi, 040 000 0000"
    assert worker.locator("#plan-weekday-4").is_checked()
    check_page(worker)

    # By phone: made, and its own page with the history and End.
    worker.select_option("#plan-channel", "phone")
    with worker.expect_navigation():
        worker.get_by_role("button", name="Tee suunnitelma").click()
    assert worker.get_by_text("Suunnitelma on tallennettu.").count() == 1
    assert worker.get_by_role("heading", name="Selain Testi, 040 000 0000", level=1).count() == 1
    check_page(worker)
    with worker.expect_navigation():
        worker.get_by_role("button", name="Lopeta suunnitelma").click()
    assert worker.get_by_text("Päättyi").count() >= 1
    assert worker.locator("#plan-label").count() == 0
    check_page(worker)

    # The week of the whole team, then an absence a month ahead, marked and deleted.
    worker.goto(f"{server.url}/reachout/calendar?worker=team")
    assert worker.get_by_role("table").count() >= 1
    check_page(worker)
    worker.fill("#absence-from", ahead.isoformat())
    worker.fill("#absence-to", (ahead + timedelta(days=1)).isoformat())
    with worker.expect_navigation():
        worker.get_by_role("button", name="Merkitse poissaolo").click()
    delete = worker.get_by_role("button", name=f"Poista poissaolo: Työntekijä 1, {ahead.day}.{ahead.month}.{ahead.year}", exact=False)
    assert delete.count() == 1
    check_page(worker)
    with worker.expect_navigation():
        delete.click()
    assert worker.get_by_text("Ei poissaoloja.").count() == 1
    worker.get_by_role("link", name="Seuraava viikko").click()
    worker.wait_for_load_state()
    check_page(worker)


def test_the_registered_clients_own_contacts(new_context, server):
    # A worker opens the plan's chat (as "Contact through the chat" does), so the client has a thread.
    worker = new_context(**FI).new_page()
    sign_in(worker, server, WORKER1)
    worker.goto(f"{server.url}/reachout/plans")
    plan = worker.locator("a[href^='/reachout/plans/']", has_text="yhteydenpito").get_attribute("href").rsplit("/", 1)[1]
    status = worker.evaluate(
        """async (plan) => (await fetch(`/api/reachout/plans/${plan}/chat`,
             {method: "POST", headers: {"content-type": "application/json"}, body: "{}"})).status""", plan)
    assert status == 200

    member = new_context(viewport={"width": 320, "height": 800}, **FI).new_page()
    sign_in_member(member, server, "yhteydenpito")
    member.goto(f"{server.url}/account")
    member.get_by_role("link", name="Kuka pitää sinuun yhteyttä").click()
    member.wait_for_url(f"{server.url}/my/contacts")
    assert member.get_by_role("heading", name="Työntekijä 1").count() == 1
    assert member.get_by_text("Kerhon jäsen").count() == 0
    check_page(member)

    # The question first; going back leaves the contacts as they were.
    member.get_by_role("link", name="En halua näitä yhteydenottoja").first.click()
    member.wait_for_load_state()
    assert member.get_by_role("button", name="Kyllä, lopeta yhteydenotot").count() == 1
    check_page(member)
    member.get_by_role("link", name="Ei, palaa takaisin").click()
    member.wait_for_url(f"{server.url}/my/contacts")
    assert member.get_by_role("heading", name="Työntekijä 1").count() == 1

    # The live thread with the worker: a message sent by keyboard is there.
    member.get_by_role("link", name="Avaa keskustelu").click()
    member.wait_for_url(f"{server.url}/my/contacts/{plan}")
    member.locator("#connection[data-state=online]").wait_for()
    check_page(member)
    member.fill("#message", "Hei, kiitos viestistä.")
    member.press("#message", "Enter")
    member.locator(".log .msg", has_text="Hei, kiitos viestistä.").wait_for()
