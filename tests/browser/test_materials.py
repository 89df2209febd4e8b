"""The material bank in Chromium: a worker searches by keyboard alone and
sees the matched words marked, adds a file through the form and replaces it
(the old version stays listed); a client opens client material with
JavaScript switched off. axe finds nothing and nothing scrolls sideways at
320 px on every page."""

from __future__ import annotations

from conftest import WORKER1, check_page, sign_in


def tab_to(page, selector: str) -> None:
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.locator(f"{selector}:focus").count():
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_a_worker_searches_adds_and_replaces_by_keyboard_and_form(new_context, server, tmp_path):
    page = new_context(locale="fi-FI").new_page()
    sign_in(page, server, WORKER1)
    page.goto(server.url + "/bank")
    check_page(page)
    tab_to(page, "#q")
    page.keyboard.type("muistilista")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    card = page.locator("li.card", has_text="Digitukijan muistilista")
    assert card.count() == 1
    assert card.locator("mark").first.text_content().lower() == "muistilista"
    check_page(page)

    page.goto(server.url + "/bank/new")
    check_page(page)
    first = tmp_path / "ohje.txt"
    first.write_text("Ensimmäinen ohje: kuvakaappaus otetaan näin.", encoding="utf-8")
    page.fill("#title", "Kuvakaappausohje")
    page.fill("#description", "Näin otat kuvakaappauksen.")
    page.check("#audiences-clients")
    page.set_input_files("#file", str(first))
    with page.expect_navigation():
        page.get_by_role("button", name="Lisää materiaali").click()
    assert page.get_by_role("heading", name="Kuvakaappausohje", level=1).is_visible()
    assert page.get_by_text("Tallennettu.").is_visible()
    check_page(page)
    second = tmp_path / "ohje-2.txt"
    second.write_text("Toinen ohje.", encoding="utf-8")
    page.set_input_files("#file", str(second))
    with page.expect_navigation():
        page.get_by_role("button", name="Korvaa tiedosto").click()
    versions = page.locator("#versions + ul li")
    assert versions.count() == 2
    assert "ohje-2.txt" in versions.nth(0).text_content() and "nykyinen" in versions.nth(0).text_content()
    assert "ohje.txt" in versions.nth(1).text_content()
    check_page(page)
    # A refused form keeps what was typed and says why, beside the field.
    page.goto(server.url + "/bank/new")
    page.fill("#title", "Ilman tiedostoa")
    with page.expect_navigation():
        page.get_by_role("button", name="Lisää materiaali").click()
    assert page.locator(".error-summary").is_visible() and page.locator("#title").input_value() == "Ilman tiedostoa"
    check_page(page)


def test_a_client_opens_client_material_without_javascript(new_context, server):
    staff = new_context(locale="fi-FI").new_page()
    sign_in(staff, server, WORKER1)
    hits = staff.request.get(f"{server.url}/api/materials?q=selkoopas").json()
    path = hits[0]["client_path"]
    page = new_context(java_script_enabled=False, locale="fi-FI").new_page()
    page.goto(server.url + path)
    assert page.locator("script").count() == 0
    assert page.get_by_role("heading", name="Pankkitunnukset puhelimessa – selkoopas", level=1).is_visible()
    assert page.get_by_text("Tämä teksti on selkokieltä.").is_visible()
    link = page.get_by_role("link", name="Lataa tiedosto")
    assert link.get_attribute("href") == path + "/file"
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "pankkitunnukset-selko.txt"
    # axe is a script: the same page in a context with JavaScript on.
    twin = new_context(locale="fi-FI").new_page()
    twin.goto(server.url + path)
    check_page(twin)
    tab_to(twin, "a.button")
