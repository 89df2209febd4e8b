"""The staff second factor as a person meets it: the profile's set-up page
shows a QR code (read back here with zbarimg, as a phone would) and the same
key as text; the first code from the "app" turns it on and shows recovery
codes; the next sign-in asks for a code on a page of its own, where a
recovery code works too. At 320 px and with axe on every page."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import subprocess
import time
import urllib.parse

from axe_check import assert_no_axe_violations
from conftest import NETWORK_COORDINATOR, sign_in


def totp(secret: bytes, at: float | None = None) -> str:
    """RFC 6238 with SHA-1, 30-second steps, six digits: what the apps do."""
    step = int((time.time() if at is None else at) // 30)
    digest = hmac.new(secret, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def test_set_up_the_second_factor_and_sign_in_with_it(new_context, server, tmp_path):
    page = new_context(viewport={"width": 320, "height": 800}).new_page()
    sign_in(page, server, NETWORK_COORDINATOR)
    page.goto(server.url + "/profile")
    assert page.get_by_text("The second factor is off").is_visible()
    page.get_by_role("link", name="Set up the second factor").click()
    assert_no_axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    # The QR code, read as a phone camera would, carries the key shown as text.
    shot = tmp_path / "qr.png"
    page.locator(".qr-box svg").screenshot(path=str(shot))
    decoded = subprocess.run(["zbarimg", "--raw", "-q", str(shot)], capture_output=True, text=True, check=True).stdout.strip()
    url = urllib.parse.urlparse(decoded)
    assert url.scheme == "otpauth" and url.netloc == "totp"
    query = urllib.parse.parse_qs(url.query)
    typed = page.locator("#secret").inner_text().replace(" ", "")
    assert query["secret"] == [typed] and query["issuer"] == ["Kohtaamo"]
    assert NETWORK_COORDINATOR in urllib.parse.unquote(url.path)
    secret = base64.b32decode(typed + "=" * (-len(typed) % 8))

    try:
        # A wrong code is named next to its field.
        page.fill("#code", "000000")
        page.get_by_role("button", name="Turn on").click()
        page.locator("#code-error").wait_for()
        assert_no_axe_violations(page)
        page.fill("#code", totp(secret))
        page.get_by_role("button", name="Turn on").click()
        page.get_by_role("heading", name="Recovery codes").wait_for()
        assert_no_axe_violations(page)
        codes = page.locator("#recovery-codes code").all_inner_texts()
        assert len(codes) == 10

        # Signed out and in again: the password leads to the code page.
        page.get_by_role("button", name="Sign out").click()
        page.goto(server.url + "/signin")
        page.fill("#email", NETWORK_COORDINATOR)
        page.fill("#password", server.password)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("heading", name="Type the code").wait_for()
        assert_no_axe_violations(page)
        # By keyboard: the code field, Enter; a recovery code this time.
        page.fill("#code", codes[0])
        page.locator("#code").press("Enter")
        page.wait_for_url(server.url + "/admin")
    finally:
        # The demo account goes back as it was for the other tests.
        page.goto(server.url + "/profile/second-factor")
        if page.locator("#offPassword").count():
            page.fill("#offPassword", server.password)
            page.get_by_role("button", name="Turn off the second factor").click()
            page.get_by_text("The second factor is off.").first.wait_for()
