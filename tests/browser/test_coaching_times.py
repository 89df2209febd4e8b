"""The appointment pages as their people use them, in Finnish: the coach
(worker1) adds a free time through the form (an overlapping one is refused
and kept), the demo coachee `valmennettava` books it by keyboard, and the
coach sees who booked it. axe finds nothing on either page, and both read at
320 px without scrolling sideways."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from conftest import WORKER1, check_page, sign_in, sign_in_member

SLUG = "valmennus"
FI = {"locale": "fi-FI"}
DAYS = ["maanantai", "tiistai", "keskiviikko", "torstai", "perjantai", "lauantai", "sunnuntai"]



def test_a_time_added_booked_by_keyboard_and_seen(new_context, server):
    # Five days ahead at an odd hour: clear of the demo's time and other tests' times.
    day = datetime.now(ZoneInfo("Europe/Helsinki")).date() + timedelta(days=5)
    when = f"{DAYS[day.weekday()]} {day.day}.{day.month}.{day.year} klo 14.40–15.10"

    coach = new_context(**FI).new_page()
    sign_in(coach, server, WORKER1)
    coach.goto(f"{server.url}/coaching/{SLUG}")
    coach.get_by_role("link", name="Ajat ja varaukset").click()
    coach.wait_for_url(f"{server.url}/coaching/{SLUG}/times")
    check_page(coach)

    coach.fill("#slot-date", day.isoformat())
    coach.fill("#slot-time", "14:40")
    coach.fill("#slot-minutes", "30")
    coach.fill("#slot-place", "")
    with coach.expect_navigation():
        coach.get_by_role("button", name="Lisää aika", exact=True).click()
    assert coach.get_by_text(when).count() == 1

    # The same minutes again: refused beside the time field, the input kept.
    coach.fill("#slot-date", day.isoformat())
    coach.fill("#slot-time", "14:50")
    coach.fill("#slot-minutes", "20")
    coach.fill("#slot-place", "Kahvila")
    with coach.expect_navigation():
        coach.get_by_role("button", name="Lisää aika", exact=True).click()
    coach.locator(".error-summary").wait_for()
    assert coach.locator("#slot-time[aria-invalid=true]").count() == 1
    assert coach.locator("#slot-place").input_value() == "Kahvila"
    assert coach.locator("#slot-date").input_value() == day.isoformat()
    check_page(coach)

    member = new_context(viewport={"width": 320, "height": 800}, **FI).new_page()
    sign_in_member(member, server, "valmennettava")
    member.goto(f"{server.url}/my/coaching/{SLUG}")
    member.get_by_role("link", name="Ajat ja varaukset").click()
    member.wait_for_url(f"{server.url}/my/coaching/{SLUG}/times")
    check_page(member)
    assert member.get_by_text("Voit siirtää tai perua ajan viimeistään 24 tuntia ennen sen alkua.").count() == 1

    # Booking by keyboard: the button is reached with Tab and pressed with Enter.
    button = member.get_by_role("button", name=f"Varaa: {when}")
    for _ in range(200):
        member.keyboard.press("Tab")
        if button.evaluate("b => b === document.activeElement"):
            break
    else:
        raise AssertionError("the book button was not reached with Tab")
    with member.expect_navigation():
        member.keyboard.press("Enter")
    mine = member.locator("section.card", has=member.get_by_role("heading", name=when, exact=True))
    assert mine.count() == 1
    assert mine.get_by_role("link", name="Lataa kalenteriin").count() == 1
    check_page(member)

    coach.goto(f"{server.url}/coaching/{SLUG}/times")
    assert coach.get_by_text("Varannut: valmennettava").count() >= 1
    check_page(coach)
