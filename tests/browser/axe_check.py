"""Accessibility checks with axe-core, for the browser tests.

    from axe_check import assert_no_axe_violations
    assert_no_axe_violations(page)                       # whole page
    assert_no_axe_violations(page, context="#dialog")    # part of it

Runs the WCAG 2.0 and 2.1 level A and AA rules only (tags wcag2a, wcag2aa,
wcag21a, wcag21aa). axe's best-practice rules are left out on purpose: they are
advice, not the conformance target.

axe-core itself comes from the axe-playwright-python wheel (axe.min.js, 4.12.1
with the pinned 0.1.8). We inject it and call axe.run ourselves rather than
through the package's Axe.run, because that one writes the context argument
into JavaScript with Python's repr(), which breaks for dicts holding
True/False/None.
"""

from __future__ import annotations

from typing import Any, Iterable

from axe_playwright_python.base import AXE_SCRIPT

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_RUN_AXE = """
async ([context, options]) => {
    const results = await window.axe.run(context ?? document, options);
    return results.violations;
}
"""


def axe_violations(
    page,
    context: str | list | dict | None = None,
    disable_rules: Iterable[str] = (),
) -> list[dict[str, Any]]:
    """Run axe on `page` (or the part `context` selects); return its violations."""
    # Inject once per document; a navigation gives a new document.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    options: dict[str, Any] = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        # Only violations come back: passes/incomplete are large and unused.
        "resultTypes": ["violations"],
    }
    disabled = list(disable_rules)
    if disabled:
        options["rules"] = {rule: {"enabled": False} for rule in disabled}
    return page.evaluate(_RUN_AXE, [context, options])


def format_violations(violations: list[dict[str, Any]], where: str = "") -> str:
    """A readable report: rule, impact, what it means, and each failing node."""
    lines = [f"{len(violations)} axe violation(s){' on ' + where if where else ''}:"]
    for v in violations:
        lines.append("")
        lines.append(f"- {v['id']} [{v.get('impact') or 'no impact given'}]: {v.get('help', '')}")
        if v.get("helpUrl"):
            lines.append(f"  {v['helpUrl']}")
        for node in v.get("nodes", []):
            target = " ".join(str(t) for t in node.get("target", []))
            html = " ".join(node.get("html", "").split())
            if len(html) > 300:
                html = html[:300] + "..."
            lines.append(f"  * target: {target}")
            lines.append(f"    html:   {html}")
            summary = (node.get("failureSummary") or "").strip()
            if summary:
                for s in summary.splitlines():
                    lines.append(f"    {s.strip()}")
    return "\n".join(lines)


def assert_no_axe_violations(
    page,
    context: str | list | dict | None = None,
    disable_rules: Iterable[str] = (),
) -> None:
    """Fail with a readable list when axe finds WCAG 2.0/2.1 A or AA violations.

    disable_rules: axe rule ids to skip; give the reason in a comment where
    you call it.
    """
    violations = axe_violations(page, context=context, disable_rules=disable_rules)
    if violations:
        raise AssertionError(format_violations(violations, where=page.url))
