"""Fixtures for Kohtaamo's browser tests (pytest + Playwright + Debian's Chromium).

Run them through `scripts/test browser`, which builds the server, installs the
tools and sets the environment. By hand:

    KOHTAAMO_BIN=$PWD/.build/debug/kohtaamo .venv/bin/python -m pytest tests/browser -q

Fixtures:
    server   (session) a `kohtaamo serve --demo` on a free loopback port, with
             its own temp data dir; has .url, .password, .log_text()
    browser  (session) Chromium, headless
    page     (test)    a fresh context (1280x800, en-GB) and page; override the
             context with @pytest.mark.browser_context(locale="fi-FI", ...)
    new_context (test) factory for more contexts in one test (e.g. client and
             worker side by side); all closed after the test

Helpers: sign_in(page, server, email) here; assert_no_axe_violations(page) in
axe_check.py. Test modules import them: `from conftest import sign_in`.

Environment:
    KOHTAAMO_BIN       the server binary (default .build/debug/kohtaamo)
    KOHTAAMO_CHROMIUM  the browser (default /usr/bin/chromium)
"""

from __future__ import annotations

import contextlib
import http.server
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[2]
DEMO_PASSWORD = "demo-pass-123"

# The users `serve --demo` creates, all with DEMO_PASSWORD.
COORDINATOR = "coordinator@demo.invalid"
WORKER1 = "worker1@demo.invalid"
WORKER2 = "worker2@demo.invalid"
NETWORK_COORDINATOR = "network@demo.invalid"

SERVER_START_TIMEOUT = 60  # seconds; a debug build on 2 busy cores is slow to start
SERVER_STOP_TIMEOUT = 10
DEFAULT_TIMEOUT_MS = 15_000  # Playwright's per-action and navigation timeout


def free_port() -> int:
    """A loopback port nobody listens on now (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    password: str
    data_dir: Path
    log_path: Path
    process: subprocess.Popen = field(repr=False)

    def log_text(self, last_lines: int | None = None) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        if last_lines is not None:
            text = "\n".join(text.splitlines()[-last_lines:])
        return text


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=2) as r:
            return r.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM (graceful shutdown), then SIGKILL if it does not go."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=SERVER_STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class _NeutralPage(http.server.BaseHTTPRequestHandler):
    """Stands in for the outside page "leave quickly" goes to."""

    def do_GET(self):
        body = b"<!doctype html><title>Search</title><p>neutral</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def neutral_url():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NeutralPage)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/neutral"
    httpd.shutdown()


def server_binary() -> Path:
    binary = Path(os.environ.get("KOHTAAMO_BIN", REPO / ".build/debug/kohtaamo"))
    if not binary.is_file():
        pytest.fail(
            f"server binary {binary} not found: run `swift build --product kohtaamo` "
            "or set KOHTAAMO_BIN",
            pytrace=False,
        )
    return binary


@contextlib.contextmanager
def start_server(neutral_url: str, env: dict | None = None, args: tuple = ("--demo", "--password", DEMO_PASSWORD),
                 data_dir: Path | None = None):
    """A `kohtaamo serve` on a free loopback port until the block ends.
    `env` is added to the environment (e.g. TURN settings, a DATABASE_URL);
    `args` go after `serve` (default: the demo data); `data_dir` is shared
    when given (nodes of one PostgreSQL share their key file), else a temp one."""
    binary = server_binary()
    tmp = Path(tempfile.mkdtemp(prefix="kohtaamo-browser-"))
    if data_dir is None:
        data_dir = tmp / "data"
        data_dir.mkdir()
    log_path = tmp / "server.log"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [
        str(binary), "serve", *args,
        "--host", "127.0.0.1", "--port", str(port),
        "--data-dir", str(data_dir),
    ]
    # Output goes to a file, not a pipe: a pipe nobody reads fills up and
    # blocks the server mid-test.
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            # A higher send rate: the XSS corpus sends hundreds of messages from one page.
            env={**os.environ, "KOHTAAMO_QUICK_EXIT_URL": neutral_url, "KOHTAAMO_SEND_RATE": "100", **(env or {})},
            cwd=tmp,
        )
    srv = Server(url=url, password=DEMO_PASSWORD, data_dir=data_dir,
                 log_path=log_path, process=proc)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not _healthy(url):
            if proc.poll() is not None:
                pytest.fail(
                    f"kohtaamo exited with {proc.returncode} before answering /healthz\n"
                    f"command: {' '.join(cmd)}\n--- its output ---\n{srv.log_text()}",
                    pytrace=False,
                )
            if time.monotonic() > deadline:
                pytest.fail(
                    f"kohtaamo did not answer GET {url}/healthz with 200 within "
                    f"{SERVER_START_TIMEOUT} s\ncommand: {' '.join(cmd)}\n"
                    f"--- its output ---\n{srv.log_text()}",
                    pytrace=False,
                )
            time.sleep(0.2)
        yield srv
    finally:
        _stop(proc)
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def server(neutral_url):
    with start_server(neutral_url) as srv:
        yield srv


@pytest.fixture(scope="session")
def browser():
    executable = os.environ.get("KOHTAAMO_CHROMIUM", "/usr/bin/chromium")
    if not Path(executable).exists():
        pytest.fail(f"{executable} not found: apt-get install chromium", pytrace=False)
    with sync_playwright() as p:
        # Debian's Chromium, not Playwright's download (cannot be fetched here).
        # --no-sandbox: we run as root; --disable-dev-shm-usage: small /dev/shm.
        # A fake camera and microphone, allowed without asking (the call tests;
        # nothing else asks for them).
        b = p.chromium.launch(
            executable_path=executable,
            args=["--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                  "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"],
        )
        try:
            yield b
        finally:
            b.close()


DEFAULT_CONTEXT = {"viewport": {"width": 1280, "height": 800}, "locale": "en-GB"}


@pytest.fixture
def new_context(browser, request):
    """Factory: new_context(**options) -> BrowserContext, defaults applied,
    the test's browser_context marker over them, then the call's options."""
    contexts = []
    marker = request.node.get_closest_marker("browser_context")
    marked = dict(marker.kwargs) if marker else {}

    def make(**options):
        ctx = browser.new_context(**{**DEFAULT_CONTEXT, **marked, **options})
        ctx.set_default_timeout(DEFAULT_TIMEOUT_MS)
        ctx.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(ctx)
        return ctx

    yield make
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failed test that used the server, attach the end of its log."""
    report = yield
    if report.when == "call" and report.failed and "server" in item.fixturenames:
        srv = item.funcargs.get("server")
        if isinstance(srv, Server):
            report.sections.append(
                ("kohtaamo server log (last 60 lines)", srv.log_text(last_lines=60))
            )
    return report


def sign_in(page, server: Server, email: str, password: str | None = None,
            expect_success: bool = True) -> None:
    """Sign in through the real form: /signin, fill #email and #password,
    press Enter in the password field, wait for the page that follows.

    With expect_success, fail if we are still on /signin afterwards (wrong
    password, or the form did not submit)."""
    page.goto(server.url + "/signin")
    page.locator("#email").fill(email)
    password_field = page.locator("#password")
    password_field.fill(password if password is not None else server.password)
    with page.expect_navigation():
        password_field.press("Enter")
    page.wait_for_load_state()
    if expect_success and page.url.split("?")[0].rstrip("/").endswith("/signin"):
        body = page.locator("body").inner_text()
        raise AssertionError(f"sign-in as {email} did not leave /signin; page says:\n{body[:1000]}")


def sign_in_member(page, server: Server, nickname: str, password: str | None = None) -> None:
    """A registered client signs in through the real form (/account/signin)."""
    page.goto(server.url + "/account/signin")
    page.fill("#nickname", nickname)
    page.fill("#password", password if password is not None else server.password)
    with page.expect_navigation():
        page.press("#password", "Enter")


def check_page(page) -> None:
    """axe on the page, then the page at 320 px wide: nothing sideways."""
    from axe_check import assert_no_axe_violations

    assert_no_axe_violations(page)
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} is {width} px wide at 320 px"
    page.set_viewport_size(size)
