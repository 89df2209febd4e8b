"""The support chat end to end in two Chromium contexts: an anonymous client
starts a chat, a worker takes it from the console, they talk both ways; the
worker's network drops and the outbox delivers when it returns; leave
quickly and delete work; axe finds nothing on the chat page and the console."""

from __future__ import annotations

import re

from axe_check import assert_no_axe_violations
from conftest import WORKER1, sign_in


def start_chat(page, server, nickname="Mustikka"):
    page.goto(server.url + "/s/tukichat")
    page.fill("#nickname", nickname)
    page.get_by_role("button", name="Start the chat").click()
    page.wait_for_url(re.compile(r"/chat/[0-9a-f-]{36}$"))
    page.locator("#connection[data-state=online]").wait_for()
    return page.url.rsplit("/", 1)[1]


def open_console(page, server):
    sign_in(page, server, WORKER1)
    page.goto(server.url + "/console")
    page.locator("#connection[data-state=online]").wait_for()
    page.check("#shift-tukichat")
    page.get_by_role("button", name="Start shift").click()
    page.get_by_text("Shift started.").wait_for()


def take(worker, client, conversation):
    """The worker takes the chat from the queue; the client sees them there."""
    worker.locator(f"#queue li[data-conversation='{conversation}'] button").click()
    panel = worker.locator(f".chat-panel[data-conversation='{conversation}']")
    panel.wait_for()
    client.get_by_text("is answering you").wait_for()
    return panel


def talk(client, panel, said, answer):
    """A message from the client reaches the worker's panel, and the answer comes back."""
    client.fill("#message", said)
    client.press("#message", "Enter")
    panel.locator(".log").get_by_text(said).wait_for()
    reply = panel.get_by_role("textbox", name="Reply")
    reply.fill(answer)
    reply.press("Enter")
    client.locator(".log").get_by_text(answer).wait_for()
    return reply


def test_client_and_worker_talk_and_the_outbox_survives_a_network_drop(new_context, server):
    client_ctx, worker_ctx = new_context(), new_context()
    client, worker = client_ctx.new_page(), worker_ctx.new_page()
    open_console(worker, server)
    conversation = start_chat(client, server)
    assert "in the queue" in client.locator("#chat-status").inner_text()
    assert_no_axe_violations(client)

    # The new chat shows in the worker's queue, live.
    worker.locator(f"#queue li[data-conversation='{conversation}']").wait_for()
    assert worker.title().startswith("(")
    assert_no_axe_violations(worker)
    panel = take(worker, client, conversation)

    # Both ways, with the sent state on the sender's side.
    reply = talk(client, panel, "Hei, onko siellä joku?", "Olen täällä. Kerro lisää.")
    client.locator(".msg-own[data-state=delivered], .msg-own[data-state=sent]").first.wait_for()
    assert client.locator("#announcer").inner_text().endswith("Olen täällä. Kerro lisää.")

    # The worker's network drops: the message waits in the outbox, then goes.
    worker_ctx.set_offline(True)
    worker.locator("#connection:not([data-state=online])").wait_for()
    reply.fill("Tämä lähti katkon aikana.")
    reply.press("Enter")
    assert panel.locator(".msg-own[data-state=sending]").count() == 1
    worker_ctx.set_offline(False)
    client.locator(".log").get_by_text("Tämä lähti katkon aikana.").wait_for(timeout=45_000)
    panel.locator(".msg-own[data-state=sending]").wait_for(state="detached")

    # An internal note stays among staff.
    note = panel.get_by_role("textbox", name="Note", exact=True)
    note.fill("Muista kysyä nukkumisesta.")
    note.press("Enter")
    panel.locator(".notes .msg-own[data-state=sent]").wait_for()
    assert "Muista kysyä" not in client.locator("main").inner_text()

    # A reload of the client keeps the whole log, each message once.
    client.reload()
    client.locator(".log").get_by_text("Tämä lähti katkon aikana.").wait_for()
    assert client.locator(".log li").count() == 3

    # The worker closes; the client is asked whether it helped.
    panel.get_by_label("loneliness").check()
    panel.get_by_role("button", name="Close the chat").click()
    client.get_by_role("heading", name="Did this help?").wait_for()
    # The worker has left the chat, but the closed panel keeps what it showed.
    worker.locator(f".chat-panel[data-conversation='{conversation}'][data-state='closed']").wait_for()
    assert panel.locator(".log").first.locator("li").count() == 3
    assert client.locator("#message").is_disabled()
    client.get_by_label("A lot").check()
    client.get_by_role("button", name="Send the answer").click()
    client.get_by_role("heading", name="Thank you for your answer").wait_for()


def test_outbox_survives_a_reload_while_the_server_cannot_be_reached(new_context, server):
    ctx = new_context()
    client = ctx.new_page()
    conversation = start_chat(client, server, nickname="")
    # From now on the socket cannot reach the server, until `blocked` is cleared.
    blocked = {"on": True}
    ctx.route_web_socket(re.compile(r"/socket$"), lambda ws: ws.close() if blocked["on"] else ws.connect_to_server())
    ctx.set_offline(True)
    client.locator("#connection:not([data-state=online])").wait_for()
    ctx.set_offline(False)
    client.fill("#message", "Kirjoitin tämän ilman yhteyttä.")
    client.press("#message", "Enter")
    stored = client.evaluate(f"localStorage.getItem('kohtaamo.outbox.{conversation}')")
    assert "Kirjoitin tämän ilman yhteyttä." in stored
    client.reload()
    own = client.locator(".msg-own")
    own.wait_for()
    assert own.get_attribute("data-state") == "sending"  # kept across the reload
    blocked["on"] = False
    client.locator(".msg-own[data-state=sent]").wait_for(timeout=40_000)
    assert client.locator(".log li").count() == 1
    assert client.evaluate(f"localStorage.getItem('kohtaamo.outbox.{conversation}')") is None
    # Another reload shows it as the client's own message, once.
    client.reload()
    client.locator(".msg-own[data-state=sent]").wait_for()
    assert client.locator(".log li").count() == 1


def test_leave_quickly_and_delete(new_context, server, neutral_url):
    ctx = new_context()
    client = ctx.new_page()
    client.goto(server.url + "/")
    conversation = start_chat(client, server)
    client.fill("#message", "poistettava viesti")
    client.press("#message", "Enter")
    client.locator(".msg-own[data-state=sent]").wait_for()
    # Delete, after a confirmation.
    client.get_by_role("link", name="Delete my conversation").click()
    assert_no_axe_violations(client)
    client.get_by_role("button", name="Yes, delete").click()
    client.get_by_role("heading", name="The conversation is deleted").wait_for()
    client.goto(f"{server.url}/chat/{conversation}")
    assert client.locator("h1").inner_text() == "Page not found"

    # Leave quickly with Esc twice: the chat is gone from this tab.
    start_chat(client, server)
    client.keyboard.press("Escape")
    client.keyboard.press("Escape")
    client.wait_for_url(neutral_url)
    assert client.evaluate("localStorage.length") == 0
    cookies = {c["name"] for c in ctx.cookies(server.url)}
    assert "k_client" not in cookies
    client.go_back()
    assert "/chat/" not in client.url


def test_supervisor_opens_a_transcript_only_with_a_reason(new_context, server):
    client = new_context().new_page()
    conversation = start_chat(client, server, nickname="Kuusi")
    client.fill("#message", "Tämä on luottamuksellista.")
    client.press("#message", "Enter")
    client.locator(".msg-own[data-state=sent]").wait_for()
    coordinator = new_context().new_page()
    sign_in(coordinator, server, "coordinator@demo.invalid")
    coordinator.goto(server.url + "/console/supervisor")
    assert "Tämä on luottamuksellista." not in coordinator.content()
    assert_no_axe_violations(coordinator)
    coordinator.goto(f"{server.url}/console/transcripts/{conversation}")
    assert_no_axe_violations(coordinator)
    coordinator.get_by_role("button", name="Open the transcript").click()
    assert coordinator.locator(".error-summary").is_visible()
    assert "Tämä on luottamuksellista." not in coordinator.content()
    coordinator.fill("#reason", "Asiakas pyysi tarkistamaan vastauksen.")
    coordinator.get_by_role("button", name="Open the transcript").click()
    coordinator.get_by_text("Tämä on luottamuksellista.").wait_for()
    assert_no_axe_violations(coordinator)
    coordinator.goto(server.url + "/console/supervisor")
    coordinator.get_by_role("link", name="Audit log").click()
    assert "Asiakas pyysi tarkistamaan vastauksen." in coordinator.locator("main").inner_text()


def test_start_shift_with_no_service_ticked_says_so(new_context, server):
    """With one support chat on offer it is ticked already; with none ticked,
    "Start shift" says what to do instead of silently doing nothing."""
    worker = new_context().new_page()
    sign_in(worker, server, WORKER1)
    worker.goto(server.url + "/console")
    worker.locator("#connection[data-state=online]").wait_for()
    boxes = worker.locator("input[name=services]")
    if boxes.count() == 1:
        assert boxes.first.is_checked()
    for i in range(boxes.count()):
        boxes.nth(i).uncheck()
    worker.get_by_role("button", name="Start shift").click()
    worker.get_by_text("Choose a service first.").wait_for()
    assert worker.evaluate("document.activeElement.name") == "services"


def test_with_javascript_the_chat_starts_on_the_service_page(new_context, server):
    """The start is posted and the socket opened from the service page; the
    chat's content takes its place at the chat's own address, with focus on
    its heading. Back and forward and reload behave as after the form."""
    worker = new_context().new_page()
    open_console(worker, server)
    client = new_context(viewport={"width": 320, "height": 640}).new_page()
    errors = []
    client.on("pageerror", lambda e: errors.append(str(e)))
    client.goto(server.url + "/s/tukichat")
    client.wait_for_load_state("networkidle")  # the chat's modules fetched meanwhile
    client.evaluate("window.sameDocument = true")
    client.fill("#nickname", "Puolukka")
    client.get_by_role("button", name="Start the chat").click()
    client.wait_for_url(re.compile(r"/chat/[0-9a-f-]{36}$"))
    client.locator("#connection[data-state=online]").wait_for()
    conversation = client.url.rsplit("/", 1)[1]
    assert client.evaluate("window.sameDocument") is True  # no page load on the way
    assert errors == []
    assert client.evaluate("document.activeElement.tagName") == "H1"
    assert "in the queue" in client.locator("#chat-status").inner_text()
    # The chat page's <noscript> notices are left out: this page has its script.
    assert client.locator("noscript").count() == 0
    assert client.locator("#nickname").count() == 0
    assert_no_axe_violations(client)
    assert client.evaluate("document.documentElement.scrollWidth") <= 320

    # The worker takes it; a message goes both ways.
    talk(client, take(worker, client, conversation), "Aloitin palvelun sivulta.", "Hyvä, olen tässä.")

    # Back: the service page; forward and reload: the chat with its log.
    client.go_back()
    client.wait_for_url(server.url + "/s/tukichat")
    client.locator("#nickname").wait_for()
    client.go_forward()
    client.wait_for_url(f"{server.url}/chat/{conversation}")
    client.locator(".log").get_by_text("Hyvä, olen tässä.").wait_for()
    client.reload()
    client.locator(".log").get_by_text("Aloitin palvelun sivulta.").wait_for()
    assert client.locator(".log li").count() == 2


def test_with_javascript_a_refused_start_says_what_the_form_says(new_context, server):
    """A nickname the server refuses: the form is sent as without JavaScript,
    and the same error shows on the service page; no chat was started."""
    client = new_context().new_page()
    client.goto(server.url + "/s/tukichat")
    client.evaluate("document.getElementById('nickname').removeAttribute('maxlength')")
    client.fill("#nickname", "K" * 31)
    client.get_by_role("button", name="Start the chat").click()
    client.wait_for_url(re.compile(r"/s/tukichat\?nickname=long#start$"))
    assert "at most 30 characters" in client.locator("#nickname-error").inner_text()
    client.fill("#nickname", "Karpalo")
    client.get_by_role("button", name="Start the chat").click()
    client.wait_for_url(re.compile(r"/chat/[0-9a-f-]{36}$"))
    client.locator("#connection[data-state=online]").wait_for()


def test_without_javascript_the_form_starts_the_chat_on_its_page(new_context, server):
    client = new_context(java_script_enabled=False).new_page()
    client.goto(server.url + "/s/tukichat")
    client.fill("#nickname", "Mustikka")
    with client.expect_navigation():
        client.get_by_role("button", name="Start the chat").click()
    client.wait_for_url(re.compile(r"/chat/[0-9a-f-]{36}$"))
    conversation = client.url.rsplit("/", 1)[1]
    assert client.locator("[data-chat]").get_attribute("data-conversation") == conversation
    assert "in the queue" in client.locator("#chat-status").inner_text()
    assert "works only when JavaScript is on" in client.locator("main").inner_text()
