"""The JSON API as any program meets it: schemathesis reads docs/openapi.yaml,
sends generated requests (valid and not) to every operation, as a worker and as
an anonymous client, and checks each answer: never a 5xx, a status code and a
content type the description lists, and a body that matches its schema. A
failure names the operation and the request that broke it.

The run is seeded, so a failure found here is found again the same way."""

from __future__ import annotations

import json
import subprocess
from datetime import date
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import DEMO_PASSWORD, REPO, start_server

SCHEMA = REPO / "docs/openapi.yaml"
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
# The socket is not HTTP to fuzz (its frames have their own fuzz test in Swift);
# /metrics is for the operator's scraper.
ALWAYS_EXCLUDED = ["/socket", "/metrics"]


def post_json(url: str, body: dict | None, cookie: str | None = None) -> tuple[int, str, str]:
    """(status, body, the cookie the answer set) of a JSON POST."""
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"} if data else {}
    if cookie:
        headers["Cookie"] = cookie
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            set_cookie = r.headers.get("Set-Cookie", "")
            return r.status, r.read().decode(), set_cookie.split(";")[0]
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), ""


def fuzz(url: str, cookie: str, exclude: list[str], include_regex: str | None = None) -> subprocess.CompletedProcess:
    cli = Path(sys.executable).parent / "schemathesis"
    cmd = [
        str(cli), "run", str(SCHEMA), "--url", url, "-H", f"Cookie: {cookie}",
        "--checks", CHECKS, "--max-examples", "15", "--seed", "20261203",
        "--no-color",
    ]
    for path in ALWAYS_EXCLUDED + exclude:
        cmd += ["--exclude-path", path]
    if include_regex:
        cmd += ["--include-path-regex", include_regex]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def fuzz_server(neutral_url):
    # A server of its own: generated requests change data (shifts, chats).
    with start_server(neutral_url) as srv:
        yield srv


def test_the_api_answers_as_described_to_a_worker(fuzz_server):
    status, _, cookie = post_json(
        f"{fuzz_server.url}/api/session", {"email": "worker1@demo.invalid", "password": DEMO_PASSWORD})
    assert status == 204 and cookie.startswith("k_session=")
    # Signing out would end the run's own session: the client run covers /api/session.
    run = fuzz(fuzz_server.url, cookie, ["/api/session"])
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "passed" in run.stdout


def test_the_api_answers_as_described_to_an_anonymous_client(fuzz_server):
    status, body, cookie = post_json(f"{fuzz_server.url}/api/support/tukichat/chats", {"nickname": "Sumu"})
    assert status == 201 and cookie.startswith("k_client="), body
    run = fuzz(fuzz_server.url, cookie, [])
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "passed" in run.stdout


def sign_in_member_cookie(url: str, nickname: str) -> str:
    """A registered client's `k_member` cookie, through the sign-in form (CSRF double submit)."""
    data = urllib.parse.urlencode({"nickname": nickname, "password": DEMO_PASSWORD, "csrf": "fuzz"}).encode()
    request = urllib.request.Request(
        f"{url}/account/signin", data=data, method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": "k_csrf=fuzz"})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        urllib.request.build_opener(NoRedirect).open(request, timeout=10)
    except urllib.error.HTTPError as e:
        cookies = [c.split(";")[0] for c in e.headers.get_all("Set-Cookie") or []]
        member = [c for c in cookies if c.startswith("k_member=")]
        assert e.code == 303 and member, (e.code, cookies)
        return member[0]
    raise AssertionError("the member sign-in did not redirect")


def cookie_of(url: str, who: str) -> str:
    """A staff member's session cookie (an e-mail address) or a registered client's (a nickname)."""
    if "@" not in who:
        return sign_in_member_cookie(url, who)
    status, _, cookie = post_json(f"{url}/api/session", {"email": who, "password": DEMO_PASSWORD})
    assert status == 204 and cookie.startswith("k_session=")
    return cookie


@pytest.mark.parametrize("who", ["coordinator@demo.invalid", "volunteer1@demo.invalid", "yhteydenpito"])
def test_the_reachout_api_answers_as_described_to_a_coordinator_a_volunteer_and_a_member(fuzz_server, who):
    # Reach-out's coordinator routes (escalations, figures), a volunteer's
    # refusals and the registered client's own routes, beside the worker's run.
    cookie = cookie_of(fuzz_server.url, who)
    run = fuzz(fuzz_server.url, cookie, [], include_regex="^/api/(my/)?reachout")
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "passed" in run.stdout


@pytest.mark.parametrize("who", ["coordinator@demo.invalid", "network@demo.invalid"])
def test_the_finder_upkeep_api_answers_as_described_to_coordinators(fuzz_server, who):
    # The help points' upkeep is for coordinators (the worker's run above gets
    # its 403s): points and exceptions added, changed and removed by generated
    # requests, each answer as the description says.
    status, _, cookie = post_json(f"{fuzz_server.url}/api/session", {"email": who, "password": DEMO_PASSWORD})
    assert status == 204 and cookie.startswith("k_session=")
    # A point with hours and an exception first: generated bodies are rarely
    # whole points, and the list's answer is then checked against its schema.
    point = {
        "municipality": "Fuzzila", "name": "Sumea apupiste", "place": "online", "themes": ["safety"], "languages": ["fi"],
        "access": "both", "hours": "MO-FR 09:00-16:00",
    }
    status, body, _ = post_json(f"{fuzz_server.url}/api/finder/points", point, cookie)
    assert status == 201, body
    day = f"{date.today().year + 1}-12-24"
    request = urllib.request.Request(
        f"{fuzz_server.url}/api/finder/points/{json.loads(body)['id']}/exceptions/{day}", method="PUT",
        data=json.dumps({"opens": "10:00", "closes": "12:00", "note": "Aatto"}).encode(),
        headers={"Content-Type": "application/json", "Cookie": cookie})
    with urllib.request.urlopen(request, timeout=10) as r:
        assert r.status == 200
    run = fuzz(fuzz_server.url, cookie, [], include_regex="^/api/finder/points")
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "passed" in run.stdout


@pytest.mark.parametrize("who", ["worker1@demo.invalid", "volunteer1@demo.invalid", "yhteydenpito"])
def test_the_digital_support_api_answers_as_described_to_a_worker_a_volunteer_and_a_member(fuzz_server, who):
    # Digital support's events, sessions, meetings and people, the needs
    # mapping and the appointments' times (a worker), a volunteer's refusals,
    # and the registered client's sign-ups, mappings, goals and bookings.
    cookie = cookie_of(fuzz_server.url, who)
    run = fuzz(fuzz_server.url, cookie, [], include_regex="^/api/(my/)?digital")
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "passed" in run.stdout


def test_the_buddy_api_answers_as_described_to_a_coordinator(fuzz_server):
    # The buddy course written by generated bodies (coordinators only; the
    # digital support runs above get a worker's and a volunteer's refusals).
    status, _, cookie = post_json(
        f"{fuzz_server.url}/api/session", {"email": "coordinator@demo.invalid", "password": DEMO_PASSWORD})
    assert status == 204 and cookie.startswith("k_session=")
    run = fuzz(fuzz_server.url, cookie, [], include_regex="^/api/digital/buddy")
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "passed" in run.stdout


@pytest.mark.parametrize("who", ["worker1@demo.invalid", "coordinator@demo.invalid"])
def test_the_material_bank_api_answers_as_described_to_a_worker_and_a_coordinator(fuzz_server, who):
    # The bank's search, links and files added, edited, replaced and removed
    # by generated requests (the demo's three materials are there to find).
    cookie = cookie_of(fuzz_server.url, who)
    run = fuzz(fuzz_server.url, cookie, [], include_regex="^/api/materials")
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "passed" in run.stdout


@pytest.mark.parametrize("who", ["coordinator@demo.invalid", "network@demo.invalid"])
def test_the_statistics_api_answers_as_described_to_coordinators(fuzz_server, who):
    # Generated periods, ranges and organisations: every answer a figure set
    # of the schema or a refusal with its code (the worker's run gets 403s).
    cookie = cookie_of(fuzz_server.url, who)
    run = fuzz(fuzz_server.url, cookie, [], include_regex="^/api/stats")
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "passed" in run.stdout
