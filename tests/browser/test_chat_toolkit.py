"""What a worker has at hand: a coordinator writes a ready-made reply and a
referral card for the support chat; the worker adds the reply to a message
from the console, sends it, puts a link to the bank's client material into
a reply with the console's picker, reloads the console without losing the chat,
and closes it with a topic from the service's list. axe checks every page."""

from __future__ import annotations

import re

from axe_check import assert_no_axe_violations
from conftest import COORDINATOR, WORKER1, sign_in
from test_support_chat import open_console, start_chat


def test_ready_reply_and_referral_card_reach_the_chat(new_context, server):
    coordinator = new_context().new_page()
    sign_in(coordinator, server, COORDINATOR)
    coordinator.goto(server.url + "/admin")
    coordinator.get_by_role("link", name="Support chat settings").click()
    assert_no_axe_violations(coordinator)

    coordinator.get_by_role("link", name=re.compile(r"^Ready-made replies\W+Support chat$")).click()
    assert_no_axe_violations(coordinator)
    # A missing title is named next to its field, and nothing is saved.
    coordinator.select_option("#language", "en")
    coordinator.fill("#body", "Hello, I am here for you. Take your time.")
    coordinator.get_by_role("button", name="Add new").click()
    coordinator.locator("#title-error").wait_for()
    assert_no_axe_violations(coordinator)
    coordinator.fill("#title", "Welcome")
    coordinator.get_by_role("button", name="Add new").click()
    coordinator.get_by_text("Saved.").wait_for()
    assert coordinator.get_by_role("heading", name="Welcome").is_visible()

    coordinator.goto(server.url + "/admin/chat")
    coordinator.get_by_role("link", name=re.compile(r"^Referral cards\W+Support chat$")).click()
    coordinator.select_option("#language", "en")
    coordinator.fill("#title", "Crisis line")
    coordinator.fill("#body", "Call any time. You do not need to give your name.")
    coordinator.fill("#phone", "09 2525 0111")
    coordinator.get_by_role("button", name="Add new").click()
    coordinator.get_by_text("Saved.").wait_for()
    assert_no_axe_violations(coordinator)

    coordinator.goto(server.url + "/admin/chat")
    coordinator.get_by_role("link", name=re.compile(r"^Topics\W+Support chat$")).click()
    coordinator.fill("#labelFi", "kiusaaminen")
    coordinator.fill("#labelEn", "bullying")
    coordinator.get_by_role("button", name="Add topic").click()
    coordinator.get_by_text("Saved.").wait_for()
    assert_no_axe_violations(coordinator)

    worker_ctx, client_ctx = new_context(), new_context()
    worker, client = worker_ctx.new_page(), client_ctx.new_page()
    open_console(worker, server)
    conversation = start_chat(client, server)
    # The client sees the service's card beside the chat.
    assert client.get_by_role("heading", name="Crisis line").is_visible()
    worker.locator(f"#queue li[data-conversation='{conversation}'] button").click()
    panel = worker.locator(f".chat-panel[data-conversation='{conversation}']")
    panel.wait_for()
    assert_no_axe_violations(worker)

    # The reply goes into the message box, where the worker can still edit it.
    panel.get_by_label("Ready-made reply or referral card").select_option(label="Welcome")
    panel.get_by_role("button", name="Add to message").click()
    reply = panel.get_by_role("textbox", name="Reply")
    assert reply.input_value() == "Hello, I am here for you. Take your time."
    reply.press("Enter")
    client.locator(".log").get_by_text("Hello, I am here for you. Take your time.").wait_for()
    panel.get_by_label("Ready-made reply or referral card").select_option(label="Crisis line")
    panel.get_by_role("button", name="Add to message").click()
    assert reply.input_value().startswith("Crisis line\nCall any time.")
    assert reply.input_value().endswith("09 2525 0111")
    reply.fill("")
    # Client material of the bank, found by a word of its title, goes in as "Title: link" at the cursor.
    reply.fill("Lue tämä.")
    reply.press("End")
    panel.get_by_label("Search material").fill("selkoopas")
    picker = panel.get_by_label("Add a link to material to the reply")
    picker.locator("option", has_text="selkoopas").first.wait_for(state="attached")
    picker.select_option(label="Pankkitunnukset puhelimessa – selkoopas")
    panel.get_by_role("button", name="Add the link").click()
    assert re.fullmatch(r"Lue tämä\. Pankkitunnukset puhelimessa – selkoopas: \S*/materials/[0-9a-f-]{36}", reply.input_value())
    assert_no_axe_violations(worker)
    reply.fill("")

    # A reload of the console keeps the chat and its log.
    worker.reload()
    panel.locator(".log").get_by_text("Hello, I am here for you. Take your time.").wait_for()
    panel.get_by_label("bullying").check()
    panel.get_by_role("button", name="Close the chat").click()
    client.get_by_role("heading", name="Did this help?").wait_for()
