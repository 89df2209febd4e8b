"""Voice and video calls in the browser (issue 18), with Chromium's fake
camera and microphone (conftest launches it with them):

- a worker and an anonymous client in a support chat: the worker starts a
  video call, the client accepts, getStats() shows audio and video bytes
  both ways on both sides; hang-up ends it for both and the conversation
  shows the call; the client's page passes axe when it rings, in the call and
  after it, at 320 px;
- the same through the test's coturn with iceTransportPolicy "relay": the
  selected candidate pair is a relayed one;
- a three-person room call: hands, the moderator mutes everyone and the
  others' microphones go off; a member removed from the call is out of it
  and cannot rejoin; once banned from the group, the call refuses her too;
- the worker on one node and the client on another (two nodes on one
  throw-away PostgreSQL), when PostgreSQL is installed.
"""

from __future__ import annotations

import os
import queue
import re
import secrets
import shutil
import socket
import struct
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest

from axe_check import assert_no_axe_violations
from conftest import COORDINATOR, DEMO_PASSWORD, REPO, WORKER1, WORKER2, free_port, server_binary, sign_in, start_server

MEDIA_TIMEOUT = 25  # seconds for bytes to flow both ways once a call is up
PHONE = {"width": 320, "height": 800}
JITSI = "https://meet.example.invalid"
RELAY = "window.kohtaamoCallOptions = {iceTransportPolicy: 'relay'};"

STATS = """async (c) => {
  const panel = window.kohtaamoCalls?.get(c);
  return panel ? await panel.stats() : null;
}"""

CONNECTIONS = """(c) => {
  const panel = window.kohtaamoCalls?.get(c);
  if (!panel) return null;
  return {me: panel.me, state: panel.state, peers: [...panel.peers.values()].map((p) => ({
    identity: p.identity, signaling: p.pc.signalingState, ice: p.pc.iceConnectionState, connection: p.pc.connectionState,
    local: p.pc.localDescription?.type, remote: p.pc.remoteDescription?.type}))};
}"""

# ------------------------------------------------------------------ helpers

def start_chat(page, url, nickname):
    page.goto(url + "/s/tukichat")
    page.fill("#nickname", nickname)
    page.get_by_role("button", name="Start the chat").click()
    page.wait_for_url(re.compile(r"/chat/[0-9a-f-]{36}$"))
    page.locator("#connection[data-state=online]").wait_for()
    return page.url.rsplit("/", 1)[1]


def open_console(page, server, email, url=None):
    url = url or server.url
    page.goto(url + "/signin")
    page.locator("#email").fill(email)
    page.locator("#password").fill(server.password)
    with page.expect_navigation():
        page.locator("#password").press("Enter")
    page.goto(url + "/console")
    page.locator("#connection[data-state=online]").wait_for()
    page.check("#shift-tukichat")
    page.get_by_role("button", name="Start shift").click()
    page.get_by_text("Shift started.").wait_for()


def take(worker, conversation):
    worker.locator(f"#queue li[data-conversation='{conversation}'] button").click()
    panel = worker.locator(f".chat-panel[data-conversation='{conversation}']")
    panel.wait_for()
    return panel


def wait_for_media(page, conversation, kinds=("audio", "video"), peers=1, timeout=MEDIA_TIMEOUT):
    """Polls the page's getStats() until every peer has sent and received
    bytes of each kind; returns the summaries ({identity: summary})."""
    deadline = time.monotonic() + timeout
    stats = None
    while time.monotonic() < deadline:
        stats = page.evaluate(STATS, conversation)
        if stats and len(stats) == peers and all(
            s[kind]["sent"] > 0 and s[kind]["received"] > 0 for s in stats.values() for kind in kinds
        ):
            return stats
        time.sleep(0.5)
    raise AssertionError(f"media did not flow both ways within {timeout} s on {page.url}: {stats}\n"
                         f"connections: {page.evaluate(CONNECTIONS, conversation)}")


def fits(page, width=320):
    if page.viewport_size["width"] > width:
        return
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"


def video_call_in_a_support_chat(worker, client, conversation):
    """The worker starts a video call in the chat, the client accepts with
    video; returns both sides' stats once media flows both ways."""
    panel = take(worker, conversation)
    client.get_by_text("is answering you").wait_for()
    panel.get_by_role("button", name="Start a video call").click()
    panel.get_by_text("Calling. Waiting for an answer.").wait_for()

    # It rings: who calls, three named buttons, the focus on Accept (nobody is typing).
    accept = client.get_by_role("button", name="Accept", exact=True)
    accept.wait_for()
    assert client.locator("[data-call-who]").inner_text().endswith("is calling you.")
    assert client.get_by_role("button", name="Decline").is_visible()
    assert client.evaluate("document.activeElement.hasAttribute('data-call-accept')")
    assert "is calling you." in client.locator("[data-call-status]").inner_text()
    assert client.locator("[data-call-status]").get_attribute("aria-live") == "polite"
    assert_no_axe_violations(client)
    fits(client)

    client.get_by_role("button", name="Accept with video").click()
    client.get_by_role("button", name="Hang up").wait_for()
    panel.get_by_role("button", name="Hang up").wait_for()
    try:
        client_stats = wait_for_media(client, conversation)
    except AssertionError as e:
        raise AssertionError(f"{e}\nworker: {worker.evaluate(CONNECTIONS, conversation)}") from None
    worker_stats = wait_for_media(worker, conversation)
    # A video for each side, with its label.
    client.locator("figure.call-video[data-identity] video").wait_for()
    assert client.locator("figure.call-video figcaption").count() == 2
    assert_no_axe_violations(client)
    fits(client)
    return panel, client_stats, worker_stats


def hang_up_and_see_the_call_in_the_chat(panel, client):
    client.get_by_role("button", name="Hang up").click()
    client.locator("[data-call-status]", has_text=re.compile(r"Call ended, \d+ min\.")).wait_for()
    panel.locator("[data-call-status]", has_text=re.compile(r"Call ended, \d+ min\.")).wait_for()
    assert not panel.get_by_role("button", name="Hang up").is_visible()
    # The conversation keeps a line about it (no recording).
    client.locator(".log").get_by_text(re.compile(r"Call, \d+ min")).wait_for()
    panel.locator(".log").first.get_by_text(re.compile(r"Call, \d+ min")).wait_for()
    assert client.evaluate("window.kohtaamoCall.peers.size") == 0
    assert_no_axe_violations(client)
    fits(client)


# ------------------------------------------------------------------ servers

def stun_answers(port: int) -> bool:
    """Whether a STUN binding request to 127.0.0.1:port gets an answer."""
    request = struct.pack("!HHI", 0x0001, 0, 0x2112A442) + secrets.token_bytes(12)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(0.3)
        try:
            s.sendto(request, ("127.0.0.1", port))
            answer, _ = s.recvfrom(2048)
        except OSError:
            return False
    return answer[8:20] == request[8:20]


@pytest.fixture(scope="module")
def turn():
    """coturn on loopback with REST-API credentials and a throw-away secret."""
    binary = shutil.which("turnserver")
    if not binary:
        pytest.fail("turnserver not found: apt-get install coturn (scripts/test browser installs it)", pytrace=False)
    secret = secrets.token_hex(16)
    port = free_port()
    tmp = Path(tempfile.mkdtemp(prefix="kohtaamo-turn-"))
    log = tmp / "turn.log"
    low = 40000 + secrets.randbelow(20000)
    cmd = [
        binary, "-n", "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", f"--listening-port={port}",
        "--use-auth-secret", f"--static-auth-secret={secret}", "--realm=kohtaamo",
        "--no-tls", "--no-dtls", "--allow-loopback-peers", "--no-cli", "--fingerprint",
        f"--min-port={low}", f"--max-port={low + 200}",
        f"--log-file={log}", "--simple-log", "--no-stdout-log", f"--pidfile={tmp / 'turn.pid'}",
        f"--userdb={tmp / 'turndb'}",
    ]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, cwd=tmp)
    deadline = time.monotonic() + 10
    while not stun_answers(port):
        if proc.poll() is not None or time.monotonic() > deadline:
            text = log.read_text(errors="replace") if log.exists() else ""
            proc.kill()
            pytest.fail(f"turnserver did not start: {' '.join(cmd)}\n{text[-2000:]}", pytrace=False)
        time.sleep(0.1)
    try:
        yield {"KOHTAAMO_TURN_URLS": f"turn:127.0.0.1:{port}?transport=udp", "KOHTAAMO_TURN_SECRET": secret, "log": log}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def turn_server(turn, neutral_url):
    """A second demo server whose calls get the test's coturn."""
    env = {k: v for k, v in turn.items() if k.startswith("KOHTAAMO_")}
    # A large-meeting server (never reached: the test reads the signed link only).
    env |= {"KOHTAAMO_JITSI_URL": JITSI, "KOHTAAMO_JITSI_APP_ID": "kohtaamo", "KOHTAAMO_JITSI_SECRET": secrets.token_hex(16)}
    with start_server(neutral_url, env=env) as srv:
        yield srv


# ------------------------------------------------------------------ tests

def test_video_call_in_a_support_chat_both_ways_then_hang_up(new_context, server):
    worker = new_context().new_page()
    client = new_context(viewport=PHONE).new_page()
    open_console(worker, server, WORKER2)
    conversation = start_chat(client, server.url, "Puolukka")
    # Before any call: the client is told the worker can call; no TURN here, so the page says calls need one network.
    client.get_by_text("The worker can call you here.").wait_for()
    client.get_by_text("Calls work only when you are on the same network.").wait_for()
    assert not client.get_by_role("button", name="Start a video call").is_visible()
    assert_no_axe_violations(client)

    panel, client_stats, worker_stats = video_call_in_a_support_chat(worker, client, conversation)
    for stats in (client_stats, worker_stats):
        (peer,) = stats.values()
        assert peer["audio"]["sent"] > 0 and peer["audio"]["received"] > 0
        assert peer["video"]["sent"] > 0 and peer["video"]["received"] > 0

    # Microphone and camera off and on again: the buttons say what they do next.
    client.get_by_role("button", name="Turn microphone off").click()
    client.get_by_role("button", name="Turn microphone on").wait_for()
    assert client.evaluate("window.kohtaamoCall.micOn()") is False
    client.get_by_role("button", name="Turn microphone on").click()
    client.get_by_role("button", name="Turn camera off").click()
    client.get_by_role("button", name="Turn camera on").wait_for()

    hang_up_and_see_the_call_in_the_chat(panel, client)


def test_without_javascript_the_chat_page_says_calls_need_it(new_context, server):
    client = new_context(java_script_enabled=False, viewport=PHONE).new_page()
    client.goto(server.url + "/s/tukichat")
    client.fill("#nickname", "Lakka")
    client.get_by_role("button", name="Start the chat").click()
    client.wait_for_url(re.compile(r"/chat/[0-9a-f-]{36}$"))
    # (Playwright's text search leaves <noscript> out: read the section's text.)
    assert "Calls need JavaScript." in client.locator(".call").inner_text()
    assert client.locator(".call button:visible").count() == 0
    # (No axe here: it runs as a script, and this page has none.)


def test_declined_call_ends_for_the_caller(new_context, server):
    worker = new_context().new_page()
    client = new_context().new_page()
    open_console(worker, server, WORKER2)
    conversation = start_chat(client, server.url, "Karpalo")
    panel = take(worker, conversation)
    client.get_by_text("is answering you").wait_for()
    # The client is typing: the ringing call does not take the focus.
    client.locator("#message").click()
    client.keyboard.type("hetki")
    panel.get_by_role("button", name="Start a voice call").click()
    client.get_by_role("button", name="Decline").wait_for()
    assert client.evaluate("document.activeElement.id") == "message"
    client.get_by_role("button", name="Decline").click()
    panel.locator("[data-call-status]", has_text=re.compile(r"declined the call|The call ended")).wait_for()
    client.locator("[data-call-status]", has_text="The call ended.").wait_for()
    # Nobody answered: the conversation says so.
    client.locator(".log").get_by_text("Missed call").wait_for()
    panel.get_by_role("button", name="Start a voice call").wait_for()


def test_call_through_turn_is_relayed(new_context, turn_server, turn):
    worker_ctx, client_ctx = new_context(), new_context(viewport=PHONE)
    for ctx in (worker_ctx, client_ctx):
        ctx.add_init_script(RELAY)
    worker, client = worker_ctx.new_page(), client_ctx.new_page()
    open_console(worker, turn_server, WORKER1)
    conversation = start_chat(client, turn_server.url, "Mustikka")
    # TURN is configured: no "same network" note.
    ice = client.evaluate(f"fetch('/api/calls/ice?c={conversation}').then(r => r.json())")
    assert ice["relay"] is True and any(
        u.startswith("turn:") for s in ice["iceServers"] for u in (s["urls"] if isinstance(s["urls"], list) else [s["urls"]])
    )
    panel, client_stats, worker_stats = video_call_in_a_support_chat(worker, client, conversation)
    for stats in (client_stats, worker_stats):
        (peer,) = stats.values()
        assert peer["pair"] and peer["pair"]["relay"], f"not relayed: {peer['pair']}"
        assert peer["pair"]["local"] == "relay"
    assert not client.get_by_text("Calls work only when you are on the same network.").is_visible()
    hang_up_and_see_the_call_in_the_chat(panel, client)


ROOM = "omaisryhma"


def join_status(page, call_id):
    """[status, code] of the page's own POST /api/calls/{id}/join."""
    return page.evaluate(
        """async (id) => {
          const r = await fetch(`/api/calls/${id}/join`, {method: "POST", headers: {"Content-Type": "application/json"}, body: "{}"});
          return [r.status, (await r.json().catch(() => ({}))).code];
        }""",
        call_id,
    )


def member_in_room(new_context, server, nickname):
    page = new_context().new_page()
    page.goto(f"{server.url}/g/{ROOM}")
    page.get_by_role("link", name="Create an account").click()
    page.fill("#nickname", f"{nickname} Browser")
    page.fill("#password", "salasana-123")
    page.fill("#repeat", "salasana-123")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(f"{server.url}/g/{ROOM}")
    page.fill("#nickname", nickname)
    page.get_by_label("I have read the rules and accept them.").check()
    page.get_by_role("button", name="Join the group").click()
    page.wait_for_url(f"{server.url}/g/{ROOM}/room")
    page.locator("#connection[data-state=online]").wait_for()
    return page


def test_room_call_of_three_mute_all_remove_and_ban(new_context, turn_server):
    server = turn_server  # its own data: the groups tests keep theirs
    coordinator = new_context().new_page()
    sign_in(coordinator, server, COORDINATOR)
    coordinator.goto(server.url + "/admin/groups")
    coordinator.get_by_role("link", name="Group for relatives").click()
    coordinator.get_by_label("Peer group, always on").check()
    coordinator.get_by_label("Open: anyone with the link").check()
    coordinator.fill("#rulesEn", "Be kind.")
    coordinator.get_by_role("button", name="Save").click()
    coordinator.get_by_text("Saved.").wait_for()
    coordinator.close()

    kaisa = member_in_room(new_context, server, "Kaisa")
    leena = member_in_room(new_context, server, "Leena")
    worker = new_context().new_page()
    sign_in(worker, server, WORKER1)
    worker.goto(f"{server.url}/g/{ROOM}/room")
    worker.locator("#connection[data-state=online]").wait_for()
    conversation = worker.locator("[data-room]").get_attribute("data-conversation")

    # The room says how many fit in a call, and links its large meeting (a signed link to the meeting server).
    kaisa.get_by_text("Up to 6 people fit in a call.").wait_for()
    meeting = kaisa.get_by_role("link", name="Go to the large meeting")
    assert meeting.get_attribute("href") == f"/calls/meeting?c={conversation}"
    answer = kaisa.request.get(server.url + meeting.get_attribute("href"), max_redirects=0)
    assert answer.status == 303 and answer.headers["location"].startswith(JITSI) and "jwt=" in answer.headers["location"]

    worker.get_by_role("button", name="Start a voice call").click()
    worker.get_by_role("button", name="Hang up").wait_for()
    for member in (kaisa, leena):
        member.get_by_role("button", name="Join the call").click()
        member.get_by_role("button", name="Hang up").wait_for()
    for page in (worker, kaisa, leena):
        wait_for_media(page, conversation, kinds=("audio",), peers=2)
    assert_no_axe_violations(kaisa)

    # Kaisa raises her hand; the others see it.
    kaisa.get_by_role("button", name="Raise hand").click()
    worker.get_by_text("Kaisa raised a hand.").wait_for()
    kaisa.get_by_role("button", name="Lower hand").wait_for()

    # The moderator mutes everyone: the others' microphones go off.
    worker.get_by_role("button", name="Mute everyone").click()
    for member in (kaisa, leena):
        member.get_by_role("button", name="Turn microphone on").wait_for()
        assert member.evaluate("window.kohtaamoCall.micOn()") is False
        member.get_by_text("muted everyone. Your microphone is off.").wait_for()
    assert worker.evaluate("window.kohtaamoCall.micOn()") is True
    for nickname in ("Kaisa", "Leena"):
        worker.locator("[data-call-members] li[data-audio=false]", has_text=nickname).wait_for()

    # The moderator removes Leena from the call: she is out, the others drop her, she cannot rejoin it.
    call_id = worker.evaluate("window.kohtaamoCall.state.call")
    worker.get_by_role("button", name="Remove Leena from the call").click()
    leena.locator("[data-call-status]", has_text="You were removed from the call.").wait_for()
    assert not leena.get_by_role("button", name="Hang up").is_visible()
    assert not leena.get_by_role("button", name="Join the call").is_visible()
    assert leena.evaluate("window.kohtaamoCall.peers.size") == 0
    worker.locator("[data-call-members] li", has_text="Leena").wait_for(state="detached")
    kaisa.get_by_text("Leena was removed from the call.").wait_for()
    assert join_status(leena, call_id) == [403, "removed_from_call"]
    wait_for_media(worker, conversation, kinds=("audio",), peers=1)
    wait_for_media(kaisa, conversation, kinds=("audio",), peers=1)

    # Then she is banned from the group: her page says so, and the call refuses her as not a participant.
    moderation = worker.context.new_page()
    moderation.goto(f"{server.url}/g/{ROOM}/moderation")
    row = moderation.locator("tr", has_text="Leena")
    row.locator("summary").click()
    row.get_by_label("Ban", exact=True).check()
    row.get_by_label("Length of the ban in days").fill("7")
    row.get_by_label("Reason").fill("Testi")
    row.get_by_role("button", name="Take out of the group").click()
    moderation.locator("tr", has_text="Leena").get_by_role("button", name="Lift the ban").wait_for()
    moderation.close()
    leena.locator("#room-status", has_text="banned").wait_for()
    assert not leena.get_by_role("button", name="Join the call").is_visible()
    assert not leena.get_by_role("button", name="Start a voice call").is_visible()
    status, code = join_status(leena, call_id)
    assert status == 403, (status, code)

    for page in (kaisa, worker):
        page.get_by_role("button", name="Hang up").click()
    worker.get_by_role("button", name="Start a voice call").wait_for()


@pytest.fixture(scope="module")
def two_nodes(neutral_url):
    """Two `kohtaamo serve` nodes on one throw-away PostgreSQL."""
    if not Path("/usr/lib/postgresql/15/bin/initdb").exists():
        pytest.skip("PostgreSQL 15 is not installed (apt-get install postgresql): no two nodes to call across")
    # A cluster of its own: under scripts/test the suite's cluster is named in
    # the environment, and pg-throwaway would then only say "already running"
    # (and stop that one when this ends).
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG_THROWAWAY_")}
    pg = subprocess.Popen([str(REPO / "scripts/pg-throwaway")], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          stdin=subprocess.DEVNULL, text=True, env=env)
    # Its lines through a thread, so that waiting for them has a deadline
    # (a readline on the pipe would wait for ever if it said nothing more).
    lines_in: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines_in.put(line) for line in pg.stdout], daemon=True).start()
    url = None
    deadline = time.monotonic() + 60
    lines = []
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines_in.get(timeout=left)
        except queue.Empty:
            break
        lines.append(line)
        m = re.search(r"PostgreSQL ready at (\S+)", line)
        if m:
            url = m.group(1)
            break
    if not url:
        pg.terminate()
        pytest.fail("scripts/pg-throwaway did not start:\n" + "".join(lines), pytrace=False)
    data_dir = Path(tempfile.mkdtemp(prefix="kohtaamo-nodes-"))
    try:
        demo = subprocess.run(
            [str(server_binary()), "demo", "--password", DEMO_PASSWORD, "--data-dir", str(data_dir), "--database-url", url],
            capture_output=True, text=True, timeout=120,
        )
        assert demo.returncode == 0, demo.stdout + demo.stderr
        args = ("--database-url", url)
        with start_server(neutral_url, args=args, data_dir=data_dir) as a, start_server(neutral_url, args=args, data_dir=data_dir) as b:
            yield a, b
    finally:
        pg.terminate()
        try:
            pg.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pg.kill()
        shutil.rmtree(data_dir, ignore_errors=True)


def test_call_across_two_nodes(new_context, two_nodes):
    node_a, node_b = two_nodes
    worker = new_context().new_page()
    client = new_context().new_page()
    open_console(worker, node_a, WORKER1)
    conversation = start_chat(client, node_b.url, "Vadelma")
    worker.locator(f"#queue li[data-conversation='{conversation}']").wait_for()
    panel, client_stats, worker_stats = video_call_in_a_support_chat(worker, client, conversation)
    hang_up_and_see_the_call_in_the_chat(panel, client)
