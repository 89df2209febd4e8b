"""Digital support as its people use it, in Finnish and by keyboard only:
worker1 makes a pop-up event through the form (a refused one first: what
was typed stays) and a group session with one seat, a meeting and a person
added by a label; the registered client `yhteydenpito` finds the session's
public page full and joins the waiting list, sees their place at
/my/digital, and has the seat once the worker takes the first person out.
axe finds nothing on any page, and each reads at 320 px without scrolling
sideways.

The server is shared with the other tests: the event and the session made
here are three weeks ahead, in a municipality of their own (Selainkylä), so
no other test's finder page meets them."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from conftest import WORKER1, check_page, sign_in, sign_in_member

FI = {"locale": "fi-FI"}


def type_into(page, selector: str, text: str) -> None:
    """Focus a field and type into it, as a keyboard does."""
    page.focus(selector)
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(text)


def press(page, locator) -> None:
    """Focus a button or a link and press Enter; wait for the page that follows."""
    locator.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_event_and_session_by_keyboard_and_a_client_on_the_waiting_list(new_context, server):
    ahead = datetime.now(ZoneInfo("Europe/Helsinki")).date() + timedelta(days=21)
    worker = new_context(**FI).new_page()
    sign_in(worker, server, WORKER1)

    worker.goto(f"{server.url}/digital/events")
    assert worker.get_by_role("heading", name="Pop up -tapahtumat", level=1).count() == 1
    assert worker.get_by_role("link", name="Digituki kauppakeskus Valkeassa").count() == 1
    check_page(worker)
    press(worker, worker.get_by_role("link", name="Uusi tapahtuma"))
    check_page(worker)

    # Refused: no title, and the end before the start. What was typed stays.
    type_into(worker, "#event-municipality", "Selainkylä")
    type_into(worker, "#event-place", "Kirjaston aula")
    worker.fill("#event-date", ahead.isoformat())
    type_into(worker, "#event-start", "13.00")
    type_into(worker, "#event-end", "12.00")
    worker.focus("#event-theme-safety")
    worker.keyboard.press("Space")
    press(worker, worker.get_by_role("button", name="Tee tapahtuma"))
    worker.locator(".error-summary").wait_for()
    assert worker.locator("#event-title[aria-invalid=true]").count() == 1
    assert worker.locator("#event-end[aria-invalid=true]").count() == 1
    assert worker.locator("#event-place").input_value() == "Kirjaston aula"
    assert worker.locator("#event-theme-safety").is_checked()
    check_page(worker)

    type_into(worker, "#event-title", "Selaintestin digiapu")
    type_into(worker, "#event-end", "15.00")
    press(worker, worker.get_by_role("button", name="Tee tapahtuma"))
    assert worker.get_by_text("Tallennettu.").count() == 1
    assert worker.get_by_role("heading", name="Selaintestin digiapu", level=1).count() == 1
    check_page(worker)

    # A session of one seat, a meeting, and a person known by a label.
    worker.goto(f"{server.url}/digital/sessions")
    check_page(worker)
    press(worker, worker.get_by_role("link", name="Uusi ryhmä"))
    type_into(worker, "#session-title", "Selaintestin ryhmä")
    type_into(worker, "#session-municipality", "Selainkylä")
    type_into(worker, "#session-place", "Kerhohuone")
    type_into(worker, "#session-seats", "1")
    press(worker, worker.get_by_role("button", name="Tee ryhmä"))
    assert worker.get_by_role("heading", name="Selaintestin ryhmä", level=1).count() == 1
    session_page = worker.url.split("?")[0]
    worker.fill("#session-meeting-date", ahead.isoformat())
    type_into(worker, "#session-meeting-start", "10.00")
    type_into(worker, "#session-meeting-end", "11.30")
    press(worker, worker.get_by_role("button", name="Lisää tapaaminen"))
    assert worker.get_by_text(f"{ahead.day}.{ahead.month}.{ahead.year} klo 10.00–11.30").count() == 1
    type_into(worker, "#session-participant-label", "Selain Testi, 040 000 0000")
    press(worker, worker.get_by_role("button", name="Lisää ihminen"))
    assert worker.get_by_text("Mukana 1 / 1.").count() == 1
    check_page(worker)
    public = worker.get_by_role("link", name="Ryhmän julkinen sivu").get_attribute("href")

    # The client: full, so the waiting list.
    client = new_context(**FI).new_page()
    sign_in_member(client, server, "yhteydenpito")
    client.goto(server.url + public)
    assert client.get_by_text("Ryhmä on täynnä.", exact=False).count() == 1
    check_page(client)
    press(client, client.get_by_role("button", name="Mene jonoon"))
    assert client.get_by_text("Olet jonossa sijalla 1.").count() == 1
    check_page(client)
    client.goto(f"{server.url}/my/digital")
    assert client.get_by_role("link", name="Selaintestin ryhmä").count() == 1
    assert client.get_by_text("Olet jonossa sijalla 1.").count() == 1
    check_page(client)

    # The worker takes the first person out: the client moves up.
    worker.goto(session_page)
    assert worker.locator("ol.rows li", has_text="yhteydenpito").count() == 1
    press(worker, worker.get_by_role("button", name="Poista: Selain Testi, 040 000 0000"))
    client.reload()
    card = client.locator("li.card", has=client.get_by_role("link", name="Selaintestin ryhmä"))
    assert card.get_by_text("Sinulla on paikka.").count() == 1
    assert card.get_by_text("Pääsit jonosta mukaan.").count() == 1
    check_page(client)
