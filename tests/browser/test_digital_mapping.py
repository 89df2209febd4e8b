"""The needs mapping as its people use it. The registered client
`yhteydenpito` (no worker has mapped them: the built-in questionnaire) fills
the questionnaire alone, by keyboard, with JavaScript off: a question left
out first (the answers given stay ticked), then whole; they see their
profile with suggested goals and material, pick a goal, fill again, and the
progress page has the chart and a table of two rows. worker1 finds the
demo's client `valmennettava` (mapped a month ago and today) and their
progress, gives them a goal with the bank's client material, and the
client sees it as a link; the coordinator opens the questionnaire editor. axe finds nothing
on any page (run where scripts run: axe is one), and each reads at 320 px."""

from __future__ import annotations

from conftest import COORDINATOR, WORKER1, check_page, sign_in, sign_in_member

FI = {"locale": "fi-FI"}
QUESTIONS = [
    "device_basics_1", "device_basics_2", "messaging_1", "online_services_1", "online_services_2",
    "safety_1", "safety_2", "job_search_1", "content_1",
]


def press(page, locator) -> None:
    """Focus a button or a link and press Enter; wait for the page that follows."""
    locator.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def answer(page, question: str, value: str) -> None:
    """Tick a radio button by keyboard: focus it, press Space."""
    page.focus(f"#q-{question}-{value}")
    page.keyboard.press("Space")


def twin(new_context, server, path: str) -> None:
    """axe and 320 px on the client's page in a context where scripts run."""
    page = new_context(**FI).new_page()
    sign_in_member(page, server, "yhteydenpito")
    page.goto(server.url + path)
    check_page(page)
    page.context.close()


def test_a_client_fills_the_questionnaire_alone_without_javascript(new_context, server):
    page = new_context(java_script_enabled=False, **FI).new_page()
    sign_in_member(page, server, "yhteydenpito")
    page.goto(f"{server.url}/my/digital")
    press(page, page.get_by_role("link", name="Mitä osaat jo? Vastaa kyselyyn."))
    assert page.get_by_role("heading", name="Mitä osaat jo?", level=1).count() == 1
    assert page.get_by_role("group", name="Osaan avata puhelimen tai tabletin.").count() == 1

    # One question left out: refused, the rest stay as ticked.
    for q in QUESTIONS[:-1]:
        answer(page, q, "skip" if q == "job_search_1" else "1")
    press(page, page.get_by_role("button", name="Valmis"))
    assert page.get_by_text("Valitse yksi vaihtoehto.").count() >= 1
    assert page.locator("#q-device_basics_1-1").is_checked()
    assert page.locator("#q-job_search_1-skip").is_checked()
    answer(page, "content_1", "3")
    press(page, page.get_by_role("button", name="Valmis"))

    assert page.url.endswith("/my/digital/mapping/progress?saved=1")
    assert page.get_by_text("Kiitos. Vastauksesi ovat tallessa.").count() == 1
    # Device basics 1 (below 1.5): a beginner, with the beginner's goals and material.
    assert page.get_by_role("heading", name="Tulos: Aloittelija", level=2).count() == 1
    assert page.get_by_role("link", name="Digitaidot: laitteen perusteet").count() == 1
    press(page, page.get_by_role("button", name="Ota tavoitteeksi: Opin soittamaan ja lähettämään viestin."))
    assert "Opin soittamaan ja lähettämään viestin." in page.locator("#goals ~ ul").first.text_content()

    # Again, a little later, knowing more: a practical user; two rows in the table.
    press(page, page.get_by_role("link", name="Vastaa kyselyyn uudelleen"))
    for q in QUESTIONS:
        answer(page, q, "2")
    press(page, page.get_by_role("button", name="Valmis"))
    assert page.get_by_role("heading", name="Tulos: Arjen käyttäjä", level=2).count() == 1
    chart = page.locator("svg[role=img]")
    assert chart.count() == 1 and chart.get_attribute("aria-labelledby") == "progress-chart-title"
    table = page.get_by_role("table", name="Osaaminen aiheittain (0–3)")
    assert table.locator("tbody tr").count() == 2
    assert table.locator("tbody tr").nth(0).locator("td").nth(1).text_content() == "1"
    assert table.locator("tbody tr").nth(1).locator("td").nth(1).text_content() == "2"

    for path in ["/my/digital", "/my/digital/mapping", "/my/digital/mapping/progress"]:
        twin(new_context, server, path)


def test_a_worker_sees_a_clients_progress_and_the_coordinator_the_editor(new_context, server):
    worker = new_context(**FI).new_page()
    sign_in(worker, server, WORKER1)
    worker.goto(f"{server.url}/digital/events")
    press(worker, worker.get_by_role("link", name="Digitaitojen kartoitus"))
    assert worker.get_by_role("heading", name="Digitaitojen kartoitus", level=1).count() == 1
    check_page(worker)
    worker.fill("#mapping-nickname", "valmennettava")
    press(worker, worker.get_by_role("button", name="Aloita kysely"))
    assert worker.get_by_role("heading", name="Kysely: valmennettava", level=1).count() == 1
    check_page(worker)
    worker.goto(f"{server.url}/digital/mapping")
    press(worker, worker.get_by_role("link", name="valmennettava"))
    assert worker.get_by_role("heading", name="Asiakas valmennettava", level=1).count() == 1
    assert worker.get_by_role("table", name="Osaaminen aiheittain (0–3)").locator("tbody tr").count() >= 2
    check_page(worker)
    # A goal with the bank's client material, picked by keyboard; the client sees its title as a link.
    worker.select_option("#goal-theme", "online_services")
    worker.fill("#goal-text", "Opin pankkitunnukset puhelimessa")
    worker.focus("#goal-material")
    worker.select_option("#goal-material", label="Pankkitunnukset puhelimessa – selkoopas")
    press(worker, worker.get_by_role("button", name="Lisää tavoite"))
    client = new_context(**FI).new_page()
    sign_in_member(client, server, "valmennettava")
    client.goto(f"{server.url}/my/digital/mapping/progress")
    goals = client.locator("#goals ~ ul").first
    link = goals.get_by_role("link", name="Pankkitunnukset puhelimessa – selkoopas")
    assert link.count() == 1 and link.get_attribute("href").startswith("/materials/")
    check_page(client)

    coordinator = new_context(**FI).new_page()
    sign_in(coordinator, server, COORDINATOR)
    coordinator.goto(f"{server.url}/digital/mapping/questionnaire")
    assert coordinator.locator("#q_device_basics_1_fi").input_value() == "Osaan avata puhelimen tai tabletin."
    assert "practical: *" in coordinator.locator("#rules").input_value()
    check_page(coordinator)
