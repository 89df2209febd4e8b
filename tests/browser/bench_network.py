"""The client's chat on a poor line, measured in Chromium (issue 23, target 7).

    scripts/bench network [--runs 5]

Starts a `kohtaamo serve --demo` (the binary in KOHTAAMO_BIN, by default the
release build) and, for each line, opens the support chat's service page with
the browser's cache off, then presses "Start the chat" and waits until the
chat is connected (`#connection[data-state=online]`: the socket is open and
the chat synced). The lines are Chromium's network emulation through the
DevTools protocol: each request waits the latency, and bytes flow at the
given rate both ways.

Prints, per line, the median and the worst of the runs for the service page
alone (navigation to `load`) and for "Start" to connected, with the bytes
the browser received for the chat page and everything it loaded.
Targets: connected within 1.5 s on slow 3G and 3 s on 2G.
"""

from __future__ import annotations

import argparse
import http.server
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("KOHTAAMO_BIN", str(Path(__file__).resolve().parents[2] / ".build/release/kohtaamo"))

from conftest import _NeutralPage, start_server  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

# name, latency (ms), throughput (kbit/s; None: not throttled)
LINES = [
    ("loopback", 0, None),
    ("slow 3G", 400, 400),
    ("2G", 800, 250),
]


def measure(browser, url: str, latency: int, kbit: int | None) -> tuple[float, float, int]:
    context = browser.new_context(locale="en-GB", viewport={"width": 360, "height": 740})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    rate = -1 if kbit is None else kbit * 1000 / 8
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": latency, "downloadThroughput": rate, "uploadThroughput": rate,
    })
    received = 0

    def on_loading(event):
        nonlocal received
        received += int(event.get("encodedDataLength", 0))

    t0 = time.perf_counter()
    page.goto(url + "/s/tukichat", wait_until="load")
    service = time.perf_counter() - t0
    page.fill("#nickname", "Kettu")
    cdp.on("Network.loadingFinished", on_loading)
    t1 = time.perf_counter()
    page.get_by_role("button", name="Start the chat").click()
    # Checked every 10 ms: a locator's wait looks only every half second
    # after the first second, which would add up to 0.5 s to a figure.
    page.wait_for_function(
        "() => document.querySelector('#connection[data-state=online]') !== null", polling=10, timeout=60_000)
    connected = time.perf_counter() - t1
    context.close()
    return service, connected, received


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NeutralPage)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    neutral = f"http://127.0.0.1:{httpd.server_address[1]}/neutral"
    executable = os.environ.get("KOHTAAMO_CHROMIUM", "/usr/bin/chromium")
    print(f"server: {os.environ['KOHTAAMO_BIN']}, runs per line: {args.runs}")
    print(f"{'line':<10} {'service page p50/max (s)':>26} {'start→connected p50/max (s)':>29} {'bytes after start':>18}")
    with start_server(neutral) as srv, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--headless=new", "--no-sandbox", "--disable-dev-shm-usage"])
        measure(browser, srv.url, 0, None)  # warm the server's caches once
        for name, latency, kbit in LINES:
            runs = [measure(browser, srv.url, latency, kbit) for _ in range(args.runs)]
            service = [r[0] for r in runs]
            connected = [r[1] for r in runs]
            size = int(statistics.median(r[2] for r in runs))
            print(f"{name:<10} {statistics.median(service):>17.2f} / {max(service):<6.2f} "
                  f"{statistics.median(connected):>20.2f} / {max(connected):<6.2f} {size:>18,}")
        browser.close()
    httpd.shutdown()


if __name__ == "__main__":
    main()
