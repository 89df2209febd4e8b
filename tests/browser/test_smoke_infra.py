"""The harness checks itself, without the Kohtaamo server: Chromium starts,
the page fixture has its defaults, and the axe helper both passes a clean page
and fails a broken one (a checker that cannot fail proves nothing)."""

import pytest

from axe_check import assert_no_axe_violations, axe_violations

ACCESSIBLE_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Harness check</title></head>
<body>
  <header><p>Kohtaamo</p></header>
  <main>
    <h1>Sign in</h1>
    <form>
      <label for="email">Email</label>
      <input id="email" type="email" autocomplete="email">
      <label for="password">Password</label>
      <input id="password" type="password" autocomplete="current-password">
      <button type="submit">Sign in</button>
    </form>
    <img src="data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==" alt="Kohtaamo logo">
  </main>
</body>
</html>"""


def test_accessible_page_has_no_violations(page):
    page.set_content(ACCESSIBLE_PAGE)
    assert axe_violations(page) == []
    assert_no_axe_violations(page)


def test_img_without_alt_is_reported(page):
    page.set_content(ACCESSIBLE_PAGE.replace(' alt="Kohtaamo logo"', ""))
    with pytest.raises(AssertionError) as failure:
        assert_no_axe_violations(page)
    report = str(failure.value)
    # The report names the rule, its impact, the node and its html.
    assert "image-alt [critical]" in report
    assert "target: img" in report
    assert '<img src="data:image/gif' in report


def test_aa_rules_run_and_best_practice_rules_do_not(page):
    # Grey on white, 2.3:1: fails WCAG AA contrast (a wcag2aa rule).
    page.set_content(ACCESSIBLE_PAGE.replace("<h1>Sign in</h1>", '<h1 style="color:#aaa">Sign in</h1>'))
    assert [v["id"] for v in axe_violations(page)] == ["color-contrast"]
    # Content outside any landmark breaks only the best-practice "region" rule.
    page.set_content(ACCESSIBLE_PAGE.replace("<main>", "<div>").replace("</main>", "</div>"))
    assert axe_violations(page) == []


def test_disable_rules(page):
    page.set_content(ACCESSIBLE_PAGE.replace(' alt="Kohtaamo logo"', ""))
    assert_no_axe_violations(page, disable_rules=["image-alt"])


def test_axe_runs_under_a_strict_content_security_policy(page):
    # The app may send a strict CSP; axe is injected through the DevTools
    # protocol, which the page's CSP does not govern.
    csp = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self'\">"
    page.set_content(ACCESSIBLE_PAGE.replace('<meta charset="utf-8">', '<meta charset="utf-8">' + csp))
    assert_no_axe_violations(page)


def test_page_defaults(page):
    assert page.evaluate("navigator.language") == "en-GB"
    assert page.viewport_size == {"width": 1280, "height": 800}


@pytest.mark.browser_context(locale="fi-FI")
def test_browser_context_marker(page):
    assert page.evaluate("navigator.language") == "fi-FI"


def test_two_contexts_are_separate(new_context):
    # Client and worker side by side: separate cookies, one can go offline.
    a, b = new_context(), new_context()
    a.add_cookies([{"name": "who", "value": "a", "url": "http://127.0.0.1/"}])
    assert b.cookies() == []
    b.set_offline(True)
    pb = b.new_page()
    assert pb.evaluate("navigator.onLine") is False
