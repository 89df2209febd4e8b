"""Digital support's appointments as a client meets them, in Finnish, with
JavaScript off: the demo client `yhteydenpito` (who has booked the demo
worker's first Thursday time) finds the organisation's page from their own
digital page, books a free time by keyboard and cancels it by keyboard. axe
finds nothing on the pages (run in a twin context with JavaScript on: axe is
a script), and they read at 320 px without scrolling sideways. The finder's
help point by appointment links to its organisation's times."""

from __future__ import annotations

import re

from conftest import check_page, sign_in_member

FI = {"locale": "fi-FI"}
PHONE = {"width": 320, "height": 800}


def press_by_keyboard(page, button) -> None:
    """Tab until the button has the focus, then Enter (and wait for the page it posts to)."""
    for _ in range(300):
        page.keyboard.press("Tab")
        if button.evaluate("b => b === document.activeElement"):
            break
    else:
        raise AssertionError("the button was not reached with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_client_books_and_cancels_a_time_by_keyboard_without_javascript(new_context, server):
    client = new_context(java_script_enabled=False, viewport=PHONE, **FI).new_page()
    sign_in_member(client, server, "yhteydenpito")
    client.goto(f"{server.url}/my/digital")
    own = client.locator("#appointments + ul li").first
    assert "Oulun pääkirjasto, digitukipiste" in own.inner_text()
    with client.expect_navigation():
        own.get_by_role("link").click()
    assert re.search(r"/my/digital/times/[0-9a-f-]{36}$", client.url), client.url
    times_url = client.url
    assert client.get_by_text("Voit siirtää tai perua ajan viimeistään 24 tuntia ennen sen alkua.").count() == 1

    # The first free Thursday time (the demo's first one is this client's already).
    book = client.get_by_role("button", name=re.compile(r"^Varaa: torstai")).first
    label = book.get_attribute("aria-label")
    when = label.removeprefix("Varaa: ")
    press_by_keyboard(client, book)
    assert client.url == times_url + "#appointments"
    card = client.locator("section.card", has=client.get_by_role("heading", name=when, exact=True))
    assert card.count() == 1 and "Varattu" in card.inner_text()
    assert card.get_by_role("link", name="Lataa kalenteriin").count() == 1
    assert client.get_by_role("button", name=label).count() == 0

    # The same pages with JavaScript on, for axe, and at 320 px.
    twin = new_context(**FI).new_page()
    sign_in_member(twin, server, "yhteydenpito")
    for path in ["/my/digital", times_url.removeprefix(server.url)]:
        twin.goto(server.url + path)
        check_page(twin)

    press_by_keyboard(client, card.get_by_role("button", name=f"Peru aika: {when}"))
    card = client.locator("section.card", has=client.get_by_role("heading", name=when, exact=True))
    assert "Peruttu" in card.inner_text()
    assert client.get_by_role("button", name=label).count() == 1, "the time is free again"


def test_the_finder_links_a_help_point_by_appointment_to_its_times(new_context, server):
    page = new_context(java_script_enabled=False, **FI).new_page()
    page.goto(f"{server.url}/finder/oulu")
    point = page.locator("article.finder-point", has=page.get_by_role("heading", name="Digituki pääkirjastossa"))
    link = point.locator('a[href^="/my/digital/times/"]')
    assert link.count() == 1 and link.inner_text().startswith("Varaa aika")
    assert re.fullmatch(r"/my/digital/times/[0-9a-f-]{36}", link.get_attribute("href"))
    # Not signed in: the sign-in first.
    with page.expect_navigation():
        link.click()
    assert "/account/signin" in page.url
