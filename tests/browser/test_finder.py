"""The public finder as its readers meet it: Chromium with JavaScript
switched off, on the demo data (`/finder/oulu`). Each page's weight over
the wire (HTML, CSS, icon: everything it loads, cache off) is measured
through the DevTools protocol and printed; axe finds nothing; nothing
scrolls sideways at 320 px; the search form works by keyboard alone; the
calendar feed parses as iCalendar."""

from __future__ import annotations

import urllib.request

from icalendar import Calendar

from conftest import check_page

LIMIT = 30 * 1024


def no_script_page(new_context, locale="fi-FI"):
    ctx = new_context(java_script_enabled=False, locale=locale)
    page = ctx.new_page()
    cdp = ctx.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    loaded: dict[str, int] = {}
    cdp.on("Network.loadingFinished", lambda e: loaded.__setitem__(e["requestId"], e["encodedDataLength"]))
    return page, loaded


def check_twin(new_context, url, locale="fi-FI"):
    """axe and 320 px on the same URL in a context with JavaScript on: axe is
    a script itself, and its run never finishes where scripts cannot run.
    The page has no script of its own, so both contexts show the same document."""
    twin = new_context(locale=locale).new_page()
    twin.goto(url)
    assert twin.locator("script").count() == 0
    check_page(twin)
    return twin


def weigh(page, loaded, url) -> int:
    """Bytes over the wire (headers and bodies) of everything `url` loads."""
    loaded.clear()
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    total = sum(loaded.values())
    print(f"\n{url}: {total} bytes over the wire in {len(loaded)} requests (limit {LIMIT})")
    return total


def test_finder_pages_are_light_accessible_and_need_no_script(new_context, server):
    page, loaded = no_script_page(new_context)
    for path in ["/finder", "/finder/oulu", "/finder/oulu?theme=safety&language=en"]:
        assert weigh(page, loaded, server.url + path) <= LIMIT
        assert page.locator("script").count() == 0
        check_twin(new_context, server.url + path)
    page.goto(server.url + "/finder/oulu")
    assert page.get_by_role("heading", name="Digituki: Oulu", level=1).is_visible()
    assert page.get_by_text("Digituki pääkirjastossa").is_visible()
    assert page.locator("article.finder-point dd").get_by_text("Kaarlenväylä 3, 90100 Oulu").is_visible()
    # Digital support's demo happenings are listed too.
    assert page.get_by_text("Digituki kauppakeskus Valkeassa").first.is_visible()
    # The hours are behind a <details>, which opens without a script.
    page.get_by_text("Aukioloajat").first.click()
    assert page.get_by_role("row", name="maanantai 10.00–16.00").first.is_visible()
    assert page.get_by_role("link", name="Mene chattiin").get_attribute("href") == "/s/tukichat"


def tab_to(page, selector: str) -> None:
    """Presses Tab until `selector` has the focus (from the top of a new page)."""
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.locator(f"{selector}:focus").count():
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_search_by_keyboard_alone(new_context, server):
    page, _ = no_script_page(new_context)
    page.goto(server.url + "/finder/oulu")
    tab_to(page, "#theme")
    page.keyboard.type("T")  # Turvallisuus ja huijaukset
    page.keyboard.press("Tab")
    assert page.locator("#language:focus").count() == 1
    page.keyboard.type("e")  # englanti
    page.keyboard.press("Tab")
    assert page.locator("button[type=submit]:focus").count() == 1
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/finder/oulu?theme=safety&language=en"), page.url
    assert page.get_by_text("Hakuun sopivia paikkoja: 1. Kaikkia paikkoja: 2.").is_visible()
    assert page.get_by_text("Digituki chatissa").count() == 0
    check_twin(new_context, page.url)
    # Back to every place, by keyboard: the clear link beside the button.
    tab_to(page, "a.finder-clear")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("Paikkoja: 2").is_visible()


def test_bad_search_and_unknown_municipality_in_swedish(new_context, server):
    page, _ = no_script_page(new_context, locale="sv-FI")
    response = page.goto(server.url + "/finder/oulu?language=ru")
    assert response.status == 400
    assert page.get_by_text("Här finns ingen hjälp på det språket.").first.is_visible()
    assert page.get_by_label("På vilket språk?").is_visible()
    check_twin(new_context, page.url, locale="sv-FI")
    response = page.goto(server.url + "/finder/tampere")
    assert response.status == 404
    assert page.get_by_role("heading", name="Kommunen hittades inte").is_visible()
    assert page.get_by_role("link", name="Uleåborg").is_visible()
    check_twin(new_context, page.url, locale="sv-FI")


def test_calendar_feed_parses(server):
    with urllib.request.urlopen(server.url + "/finder/oulu.ics") as r:
        assert r.headers["Content-Type"] == "text/calendar; charset=utf-8"
        body = r.read()
    cal = Calendar.from_ical(body)
    assert str(cal["VERSION"]) == "2.0" and str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["X-WR-CALNAME"]).endswith("Oulu")
    zones = [c for c in cal.walk("VTIMEZONE")]
    assert [str(z["TZID"]) for z in zones] == ["Europe/Helsinki"]
    # Digital support's demo: the pop-up event and the four meetings of the group
    # session, each with its own UID, in Helsinki time.
    events = cal.walk("VEVENT")
    assert len(events) == 5 and len({str(e["UID"]) for e in events}) == 5
    assert sorted(str(e["SUMMARY"]) for e in events).count("Älypuhelimen alkeet") == 4
    assert all(str(e["DTSTART"].dt.tzinfo) in ("Europe/Helsinki", "EET", "EEST") or e["DTSTART"].params.get("TZID") == "Europe/Helsinki" for e in events)
    with urllib.request.urlopen(server.url + "/finder/oulu.ics") as r:
        assert r.read().split(b"DTSTAMP")[0] == body.split(b"DTSTAMP")[0]
