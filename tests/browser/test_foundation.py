"""The foundation in a real browser: signing in and out, changing language,
managing a service's opening hours by keyboard, and axe-core reporting no
WCAG 2.1 A/AA violations on every public page, the sign-in page and the
coordinator pages, in all three languages and at 320 px."""

from __future__ import annotations

import re

import pytest
from axe_check import assert_no_axe_violations
from conftest import COORDINATOR, NETWORK_COORDINATOR, WORKER1, sign_in

PUBLIC_PAGES = ["/", "/s/tukichat", "/s/digituki-kirjasto", "/s/omaisryhma", "/signin", "/no-such-page", "/reset/not-a-valid-link"]
ADMIN_PAGES = ["/admin", "/admin/services", "/admin/services/new", "/admin/staff", "/admin/staff/new", "/admin/organisations", "/profile",
               "/console", "/console/supervisor", "/console/replies", "/admin/audit", "/admin/chat"]


def set_language(page, server, code: str) -> None:
    page.goto(f"{server.url}/lang/{code}?next=/")


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_public_pages_have_no_axe_violations(page, server, lang):
    set_language(page, server, lang)
    for path in PUBLIC_PAGES:
        page.goto(server.url + path)
        assert page.locator("html").get_attribute("lang") == lang, path
        assert page.title().endswith("Kohtaamo"), path
        assert_no_axe_violations(page)


@pytest.mark.browser_context(viewport={"width": 320, "height": 640}, locale="fi-FI")
def test_pages_fit_320_px_without_sideways_scrolling(page, server):
    sign_in(page, server, NETWORK_COORDINATOR)
    paths = PUBLIC_PAGES[:5] + ADMIN_PAGES
    page.goto(server.url + "/admin/services")
    paths.append(page.locator("a", has_text="Aukioloajat").first.get_attribute("href"))
    for path in paths:
        page.goto(server.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"
        assert_no_axe_violations(page)


def test_sign_in_and_out(page, server):
    page.goto(server.url + "/admin")
    assert "/signin" in page.url  # sent to sign in, and back after
    page.fill("#email", COORDINATOR)
    page.fill("#password", server.password)
    page.press("#password", "Enter")
    page.wait_for_url(re.compile(r"/admin$"))
    assert page.locator("h1").inner_text() == "Administration"
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(server.url + "/")
    page.goto(server.url + "/admin")
    assert "/signin" in page.url


def test_wrong_password_shows_error_summary_and_field_error(page, server):
    page.goto(server.url + "/signin")
    page.fill("#email", WORKER1)
    page.fill("#password", "not the password")
    page.press("#password", "Enter")
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert "The email or password is wrong." in summary.inner_text()
    assert page.locator("#email").get_attribute("aria-invalid") == "true"
    assert page.title().startswith("Error:")
    # The summary's link moves focus to the field.
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "email"
    assert_no_axe_violations(page)


def test_change_language_is_remembered(page, server):
    page.goto(server.url + "/s/tukichat")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="Suomeksi").click()
    assert page.locator("html").get_attribute("lang") == "fi"
    assert "/s/tukichat" in page.url  # back on the same page
    assert page.locator("h1").inner_text() == "Tukichat"
    assert page.get_by_text("Aukioloajat").first.is_visible()
    page.get_by_role("link", name="Kaikki palvelut").click()
    assert page.locator("h1").inner_text() == "Apua ja tukea verkossa"
    page.get_by_role("link", name="På svenska").click()
    assert page.locator("h1").inner_text() == "Hjälp och stöd på nätet"


def test_skip_link_is_first_and_focus_is_visible(page, server):
    page.goto(server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.getAttribute('href')]")
    assert focused == ["skip-link", "#main"]
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_manage_opening_hours_by_keyboard(page, server):
    sign_in(page, server, COORDINATOR)
    page.goto(server.url + "/admin/services")
    # The row by the service's address, not its name: another test may rename it.
    row = page.locator("tr", has=page.locator('a[href="/s/omaisryhma"]'))
    row.get_by_role("link", name=re.compile(r"^Opening hours")).click()
    assert_no_axe_violations(page)
    # Wednesday 17.00–20.30 and Thursday closed, typed and submitted with Enter.
    page.fill("#opens_3", "17")
    page.fill("#closes_3", "20.30")
    page.fill("#opens_2", "")
    page.fill("#closes_2", "")
    page.press("#closes_3", "Enter")
    page.wait_for_url(re.compile(r"/hours\?saved=1"))
    assert page.get_by_role("status").inner_text() == "Saved."
    assert page.input_value("#opens_3") == "17:00"
    # A bad time is refused with the reason next to the field; nothing changes.
    page.fill("#opens_4", "25")
    page.fill("#closes_4", "26")
    page.press("#closes_4", "Enter")
    assert "Enter a time like 9.00 or 17.30." in page.locator("#opens_4-error").inner_text()
    assert_no_axe_violations(page)
    # A holiday exception.
    page.goto(page.url.split("?")[0])
    page.fill("#exDay", "2026-12-24")
    page.fill("#exNote", "Christmas Eve")
    page.get_by_role("button", name="Add an exception").click()
    assert "Christmas Eve" in page.locator("ul.exceptions").inner_text()
    # The public page shows the new week.
    page.goto(server.url + "/s/omaisryhma")
    rows = page.locator("table.hours tr")
    assert "Wednesday" in rows.nth(2).inner_text() and "17:00–20:30" in rows.nth(2).inner_text()
    assert "closed" in rows.nth(1).inner_text()


def test_coordinator_pages_have_no_axe_violations(page, server):
    sign_in(page, server, NETWORK_COORDINATOR)
    for path in ADMIN_PAGES:
        page.goto(server.url + path)
        assert page.locator("h1").count() == 1, path
        assert_no_axe_violations(page)
    # Detail pages reached through their links.
    for listing, selector in [("/admin/services", "table a[href^='/admin/services/']"),
                              ("/admin/staff", "table a[href^='/admin/staff/']"),
                              ("/admin/organisations", "main ul a[href^='/admin/organisations/']")]:
        page.goto(server.url + listing)
        page.locator(selector).first.click()
        page.wait_for_load_state()
        assert_no_axe_violations(page)
    # A form with errors, and the one-time link page.
    page.goto(server.url + "/admin/staff/new")
    page.get_by_role("button", name="Add the staff member").click()
    assert page.locator(".error-summary").is_visible()
    assert_no_axe_violations(page)
    page.fill("#email", "new.person@demo.invalid")
    page.fill("#workName", "Uusi")
    page.get_by_role("button", name="Add the staff member").click()
    assert re.search(r"/reset/[A-Za-z0-9_-]{43}", page.input_value("#link"))
    assert_no_axe_violations(page)
