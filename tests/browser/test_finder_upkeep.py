"""A coordinator keeps their organisation's help points in the finder, by
keyboard only: from the coordinator's home to the points, adds one (the
first try leaves out the street address a library needs: the page says so
beside the field and at the top, and what was typed stays), fixes it, then
adds a holiday exception (closed all day, with a note) and finds it listed.
axe finds nothing on any page, and each reads at 320 px without scrolling
sideways.

The server is shared with the other tests: the point is made in a
municipality of its own (`Näppäimistölä`) and removed at the end."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from conftest import COORDINATOR, check_page, sign_in


def tab_to(page, selector: str, limit: int = 120) -> None:
    """Presses Tab until `selector` has the focus, as a keyboard user moves."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def type_date(page, selector: str, day: date) -> None:
    """Types a date into a focused date field segment by segment, as a
    keyboard user does. The segments' order follows the browser's system
    locale (not the page's), so each order a browser may show is tried."""
    for order in ("%m%d%Y", "%d%m%Y", "%Y%m%d"):
        page.keyboard.type(day.strftime(order))
        if page.locator(selector).input_value() == day.isoformat():
            return
        page.locator(selector).evaluate("e => { e.value = ''; e.focus() }")
    raise AssertionError(f"could not type {day} into {selector}")


def test_a_coordinator_adds_a_point_and_a_holiday_by_keyboard(page, server):
    sign_in(page, server, COORDINATOR)
    page.goto(server.url + "/admin")
    tab_to(page, "main a[href='/admin/finder']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", name="Help points", level=1).count() == 1
    check_page(page)

    tab_to(page, "main a[href='/admin/finder/new']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", name="Add a help point", level=1).count() == 1
    check_page(page)

    tab_to(page, "#point-name")
    page.keyboard.type("Näppäinkirjaston digituki")
    tab_to(page, "#point-description")
    page.keyboard.type("Apua puhelimen ja pankkitunnusten kanssa.")
    tab_to(page, "#point-municipality")
    page.keyboard.type("Näppäimistölä")
    tab_to(page, "#point-place")
    page.keyboard.type("Libr")  # a select chooses by the first letters typed
    assert page.locator("#point-place").input_value() == "library"
    # No street address: a library needs one.
    tab_to(page, "#point-postal_code")
    page.keyboard.type("00520")
    tab_to(page, "#point-themes-device_basics")
    page.keyboard.press("Space")
    tab_to(page, "#point-themes-online_services")
    page.keyboard.press("Space")
    tab_to(page, "#point-access")
    page.keyboard.type("Drop")
    assert page.locator("#point-access").input_value() == "drop_in"
    tab_to(page, "#point-languages")
    page.keyboard.type("fi, en")
    tab_to(page, "#point-hours")
    page.keyboard.type("MO-TH 10:00-16:00; FR 10:00-14:00")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    summary = page.locator(".error-summary")
    summary.wait_for()
    assert "Error" in page.title()
    assert summary.get_by_role("link", name="This is missing.").get_attribute("href") == "#point-address"
    address = page.locator("#point-address")
    assert address.get_attribute("aria-invalid") == "true"
    assert "point-address-error" in address.get_attribute("aria-describedby")
    assert page.locator("#point-address-error").inner_text().endswith("This is missing.")
    # What was typed stays.
    assert page.locator("#point-name").input_value() == "Näppäinkirjaston digituki"
    assert page.locator("#point-place").input_value() == "library"
    assert page.locator("#point-themes-online_services").is_checked()
    assert page.locator("#point-hours").input_value() == "MO-TH 10:00-16:00; FR 10:00-14:00"
    check_page(page)

    tab_to(page, "#point-address")
    page.keyboard.type("Näppäinkatu 1")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("status").filter(has_text="Saved.").count() == 1
    assert page.get_by_role("heading", name="Näppäinkirjaston digituki", level=1).count() == 1
    assert page.get_by_role("link", name="See the municipality's page in the finder").first.get_attribute("href") == "/finder/nappaimistola"
    check_page(page)

    # Christmas Eve of next year: closed all day.
    today = datetime.now(ZoneInfo("Europe/Helsinki")).date()
    eve = date(today.year + 1, 12, 24)
    tab_to(page, "#ex-day")
    type_date(page, "#ex-day", eve)
    tab_to(page, "#ex-note")
    page.keyboard.type("Jouluaatto")
    tab_to(page, "#ex-closed")
    page.keyboard.press("Space")
    tab_to(page, "form[action$='/exceptions'] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    exceptions = page.locator("ul.exceptions")
    assert eve.isoformat() in exceptions.inner_text()
    assert "closed" in exceptions.inner_text() and "Jouluaatto" in exceptions.inner_text()
    check_page(page)

    # On the list, under its municipality, with its hours in words.
    page.goto(server.url + "/admin/finder")
    section = page.locator("section", has=page.get_by_role("heading", name="Näppäimistölä", level=2))
    card = section.locator("li.card", has_text="Näppäinkirjaston digituki")
    assert "Monday, Tuesday, Wednesday, Thursday 10:00–16:00; Friday 10:00–14:00" in card.inner_text()
    assert "Exceptions ahead: 1" in card.inner_text()

    # Removed again, after the question.
    card.get_by_role("link", name="Näppäinkirjaston digituki").click()
    page.get_by_role("link", name="Remove this help point").click()
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Remove", exact=True).click()
    assert page.get_by_role("status").filter(has_text="The help point was removed.").count() == 1
    assert page.get_by_role("heading", name="Näppäimistölä").count() == 0
