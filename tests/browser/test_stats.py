"""The statistics as a coordinator uses them. With JavaScript off and by
keyboard, the coordinator picks months and shows the page: the support
chat's chart (an SVG with a title) and its tables (captions, headers by
scope), the rule said in words, and each table as CSV. The network
coordinator sees a row per organisation. axe finds nothing and the page
reads at 320 px. The demo has about twelve weeks of chats."""

from __future__ import annotations

import csv
import io

from conftest import COORDINATOR, NETWORK_COORDINATOR, check_page, sign_in


def test_a_coordinator_reads_the_statistics_by_keyboard_without_javascript(new_context, server):
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, server, COORDINATOR)
    page.goto(server.url + "/admin")
    page.get_by_role("link", name="Statistics").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.startswith(server.url + "/stats")
    page.focus("#stats-length")
    page.keyboard.press("ArrowDown")  # Week → Month
    assert page.locator("#stats-length").input_value() == "month"
    page.get_by_role("button", name="Show").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "length=month" in page.url
    main = page.locator("main")
    assert "A count from 1 to 4 is shown as" in main.text_content()
    # One chart a section: chat, groups, coaching, reach-out, digital support, the finder; chat's first.
    charts = main.locator("svg[role=img]")
    assert charts.count() == 6
    chart = charts.first
    assert "Contacts" in chart.locator("title").text_content()
    periods = main.locator("table#chat-periods")
    assert periods.locator("caption").text_content().startswith("Support chat")
    assert periods.locator("th[scope=row]", has_text="Contacts").count() == 1
    contacts = periods.locator("tr", has_text="Contacts").locator("td").last.text_content()
    assert contacts.isdigit() and int(contacts) >= 5
    units = main.locator("table#chat-units")
    assert units.locator("th[scope=row]", has_text="Support chat").count() == 1
    link = main.get_by_role("link", name="Download the table as CSV").first
    response = page.request.get(server.url + link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.text())))
    assert rows[0][0] == "measure" and rows[0][-1] == "total" and len(rows[0][1]) == 10
    assert [r[0] for r in rows[1:3]] == ["chat.contacts", "chat.clients"]


def test_the_network_coordinators_page_passes_axe_and_reads_at_320_px(new_context, server):
    page = new_context().new_page()
    sign_in(page, server, NETWORK_COORDINATOR)
    page.goto(server.url + "/stats")
    units = page.locator("table#chat-units")
    assert units.locator("th[scope=col]").first.text_content() == "Organisation"
    assert units.locator("th[scope=row]", has_text="Aalto association").count() == 1
    check_page(page)
