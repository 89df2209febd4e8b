"""What a new visitor's browser reports on the first pages they open: no
console errors (a missing /favicon.ico used to be one on every page)."""

from __future__ import annotations


def test_first_pages_log_no_console_errors(page, server):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    failed = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    for path in ["/", "/s/tukichat", "/signin", "/g/omaisryhma"]:
        page.goto(server.url + path)
        page.wait_for_load_state("networkidle")
    assert failed == []
    assert errors == []
    icon = page.request.get(server.url + "/favicon.ico")
    assert icon.status == 200
    assert icon.headers["content-type"] == "image/svg+xml"
