"""An XSS corpus (a few hundred payloads: script tags, event handlers,
javascript: links, SVG, broken markup, bidi and zero-width tricks) sent as a
nickname, as messages both ways, as internal notes and as a referral card,
then rendered on the client's chat page, the worker console and the admin
pages in Chromium (and on the group, coaching, reach-out and finder pages). Every payload calls `__xss` if it ever runs; the test
watches that binding and dialogs, and checks each payload is shown as text."""

from __future__ import annotations

import sqlite3
import urllib.parse
import uuid

from conftest import COORDINATOR, sign_in


from datetime import date, timedelta

from conftest import COORDINATOR, sign_in, sign_in_member
from test_support_chat import open_console, start_chat

BASE = [
    "<script>__xss(1)</script>",
    "<img src=x onerror=__xss(2)>",
    "<svg onload=__xss(3)>",
    "<svg><script>__xss(4)</script></svg>",
    '<a href="javascript:__xss(5)">klik</a>',
    "javascript:__xss(6)",
    "<iframe src=javascript:__xss(7)>",
    "<body onload=__xss(8)>",
    '"><script>__xss(9)</script>',
    "'><img src=x onerror=__xss(10)>",
    "</textarea><script>__xss(11)</script>",
    "</title><script>__xss(12)</script>",
    "<details open ontoggle=__xss(13)>",
    "<math><mtext></mtext><mglyph><svg><mtext><style><img src=x onerror=__xss(14)></style></mtext></svg></mglyph></math>",
    "<input autofocus onfocus=__xss(15)>",
    "<video><source onerror=__xss(16)></video>",
    '<object data="javascript:__xss(17)">',
    "<embed src=javascript:__xss(18)>",
    '<form action="javascript:__xss(19)"><button>x</button></form>',
    "<isindex type=image src=1 onerror=__xss(20)>",
    "<marquee onstart=__xss(21)>",
    '<div style="background:url(javascript:__xss(22))">',
    "{{constructor.constructor('__xss(23)')()}}",
    "${__xss(24)}",
    "<scr<script>ipt>__xss(25)</scr</script>ipt>",
    "<SCRIPT SRC=data:text/javascript,__xss(26)></SCRIPT>",
    "<img src=`x` onerror=__xss(27)>",
    "<img/src/onerror=__xss(28)>",
    "<<img src=x onerror=__xss(29)>//",
    "<!--<img src=x onerror=__xss(30)>-->",
    "<![CDATA[<img src=x onerror=__xss(31)>]]>",
    "&lt;img src=x onerror=__xss(32)&gt;",
    "&#60;script&#62;__xss(33)&#60;/script&#62;",
    "\u202e>tpircs/<)43(ssx__>tpircs<",
    "<scr\u200bipt>__xss(35)</scr\u200bipt>",
    "\u2028<script>__xss(36)</script>\u2029",
    "<a href=\"data:text/html,<script>__xss(37)</script>\">d</a>",
    "<link rel=import href=data:text/html,<script>__xss(38)</script>>",
    "<meta http-equiv=refresh content=\"0;url=javascript:__xss(39)\">",
    "<base href=javascript:__xss(40)//>",
]
WRAPPERS = ["{}", "hei {} hei", "{}{}", "<b>{}</b>", "\"{}\"", "'{}'", "{}\u200d", "\u2066{}\u2069"]
CORPUS = [w.format(b, b) if w.count("{}") == 2 else w.format(b) for b in BASE for w in WRAPPERS]


def watch(page, calls, dialogs):
    page.expose_binding("__xss", lambda source, *args: calls.append(args))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))


def test_no_payload_runs_and_each_shows_as_text(new_context, server):
    assert len(CORPUS) >= 300
    calls, dialogs = [], []
    worker_ctx, client_ctx = new_context(), new_context()
    worker, client = worker_ctx.new_page(), client_ctx.new_page()
    watch(worker, calls, dialogs)
    watch(client, calls, dialogs)
    open_console(worker, server)
    nickname = "<img src=x onerror=__xss(99)>"
    conversation = start_chat(client, server, nickname=nickname)
    worker.locator(f"#queue li[data-conversation='{conversation}']").get_by_text(nickname, exact=False).wait_for()
    worker.locator(f"#queue li[data-conversation='{conversation}'] button").click()
    panel = worker.locator(f".chat-panel[data-conversation='{conversation}']")
    panel.wait_for()
    assert nickname in panel.locator("[data-nickname]").text_content()

    reply = panel.get_by_role("textbox", name="Reply")
    note = panel.get_by_role("textbox", name="Note", exact=True)
    for i, payload in enumerate(CORPUS):
        if i % 2:
            reply.fill(payload)
            reply.press("Enter")
        else:
            client.fill("#message", payload)
            client.press("#message", "Enter")
        if i % 40 == 0:
            note.fill(payload)
            note.press("Enter")
    last = CORPUS[-1]
    both = [client.locator(".log li").last, panel.locator(".log").first.locator("li").last]
    for place in both:
        place.filter(has_text=last.strip("\u200d\u2066\u2069")[:20]).wait_for(timeout=60_000)
    client_text = "\n".join(client.locator(".log li").all_text_contents())
    worker_text = "\n".join(panel.locator(".log").first.locator("li").all_text_contents())
    notes_text = "\n".join(panel.locator(".notes .log li").all_text_contents())
    # The composer trims white space at the ends (U+2028 and U+2029 count), as for any message.
    missing = [p for p in CORPUS if p.strip() not in client_text or p.strip() not in worker_text]
    assert not missing, f"{len(missing)} payloads not shown as text, e.g. {missing[:3]!r}"
    assert all(CORPUS[i].strip() in notes_text for i in range(0, len(CORPUS), 40))
    assert "__xss" not in client.content().split("<ol", 1)[0], "a payload leaked into the page head"

    # A referral card with a payload title, on the admin page and beside the chat.
    coordinator = new_context().new_page()
    watch(coordinator, calls, dialogs)
    sign_in(coordinator, server, COORDINATOR)
    coordinator.goto(server.url + "/admin/chat")
    coordinator.get_by_role("link", name="Referral cards").first.click()
    card = '<svg onload=__xss(98)>"><img src=x onerror=__xss(97)>'
    coordinator.fill("#title", card)
    coordinator.fill("#body", "<script>__xss(96)</script>")
    coordinator.fill("#link", "https://example.fi/\"><script>__xss(95)</script>")
    coordinator.get_by_role("button", name="Add new").click()
    assert coordinator.locator(".error-summary").is_visible()  # that address is refused
    coordinator.fill("#link", "")
    coordinator.get_by_role("button", name="Add new").click()
    coordinator.get_by_text("Saved.").wait_for()
    assert card in coordinator.locator(".text-cards").text_content()
    client.reload()
    assert card in client.locator(".referrals").text_content()
    worker.reload()
    panel.locator(".log li").first.wait_for()
    assert calls == [] and dialogs == [], f"script ran: {calls} {dialogs}"


def test_group_pages_show_payloads_as_text(new_context, server):
    """The same corpus on the group pages: a payload as the group's name, its
    rules, a member's nickname, messages in the room (seen by another member
    and the worker) and a report reason on the moderation page."""
    from test_groups import SLUG, join, make_member

    calls, dialogs = [], []
    coordinator = new_context().new_page()
    watch(coordinator, calls, dialogs)
    sign_in(coordinator, server, COORDINATOR)
    coordinator.goto(server.url + "/admin/services")
    coordinator.get_by_role("link", name="Group for relatives").first.click()
    name = "<svg onload=__xss(90)>Ryhmä"
    coordinator.fill("#nameEn", name)
    coordinator.get_by_role("button", name="Save").click()
    coordinator.goto(server.url + "/admin/groups")
    coordinator.get_by_role("link", name=name).click()
    rules = "<script>__xss(91)</script> Be kind.\n<img src=x onerror=__xss(92)>"
    coordinator.get_by_label("Peer group, always on").check()
    coordinator.get_by_label("Open: anyone with the link").check()
    coordinator.fill("#rulesEn", rules)
    coordinator.get_by_role("button", name="Save").click()
    coordinator.get_by_text("Saved.").wait_for()

    sender, reader = new_context().new_page(), new_context().new_page()
    for page in (sender, reader):
        watch(page, calls, dialogs)
    make_member(sender, server, "Xss lähettäjä")
    assert name in sender.locator("h1").text_content()
    assert "<script>__xss(91)</script> Be kind." in sender.locator("#rules-text").text_content()
    nickname = "<img src=x onerror=__xss(93)>"
    join(sender, server, nickname)
    make_member(reader, server, "Xss lukija")
    join(reader, server, "Lukija")

    sample = CORPUS[::4]
    for payload in sample:
        sender.fill("#message", payload)
        sender.press("#message", "Enter")
    last = sample[-1].strip("\u200d\u2066\u2069")[:20]
    reader.locator(".log li").last.filter(has_text=last).wait_for(timeout=60_000)
    text = "\n".join(reader.locator(".log li").all_text_contents())
    missing = [p for p in sample if p.strip() not in text]
    assert not missing, f"{len(missing)} payloads not shown as text, e.g. {missing[:3]!r}"
    # Earlier tests left messages in the room: look at this test's own.
    first = reader.locator(".log .msg").filter(has_text=sample[0]).first
    assert first.locator(".msg-from").text_content() == nickname
    first.get_by_role("button", name="Report").click()
    reason = "<img src=x onerror=__xss(94)>"
    reader.get_by_label("Why are you reporting it?").fill(reason)
    reader.get_by_role("button", name="Send report").click()
    first.get_by_text("Report sent. Thank you.").wait_for()

    worker = new_context().new_page()
    watch(worker, calls, dialogs)
    sign_in(worker, server, "worker1@demo.invalid")
    worker.goto(f"{server.url}/g/{SLUG}/moderation")
    main = worker.locator("main").text_content()
    assert reason in main and nickname in main
    worker.goto(f"{server.url}/g/{SLUG}/room")
    worker.locator(".log li").last.filter(has_text=last).wait_for(timeout=60_000)
    sender.goto(server.url + "/account")
    assert calls == [] and dialogs == [], f"script ran: {calls} {dialogs}"


def test_coaching_pages_show_payloads_as_text(new_context, server):
    """Payloads as a task's title, instructions and checklist steps (given by
    the coach), a refused material link kept in its field, the coachee's
    answer and the name of a file they send into the thread: on both sides'
    pages, only as text, and no link but http(s) and the file's download."""

    calls, dialogs = [], []
    coach = new_context().new_page()
    watch(coach, calls, dialogs)
    sign_in(coach, server, "worker1@demo.invalid")
    coach.goto(server.url + "/coaching/valmennus")
    coach.get_by_role("link", name="valmennettava", exact=True).click()
    title = "<svg onload=__xss(80)>Tehtävä"
    instructions = '<script>__xss(81)</script>\nhttps://example.fi/"><img src=x onerror=__xss(82)> javascript:__xss(83)'
    step = "<img src=x onerror=__xss(84)>"
    coach.fill("#title", title)
    coach.fill("#instructions", instructions)
    coach.get_by_label("Checklist", exact=True).check()
    coach.fill("#checklist", step + "\n" + CORPUS[9])
    material = 'javascript:__xss(85)//"><script>__xss(86)</script>'
    coach.fill("#material", material)
    coach.get_by_role("button", name="Give the task").click()
    coach.locator(".error-summary").wait_for()
    assert coach.locator("#material").input_value() == material  # refused, kept as typed
    assert coach.locator("#title").input_value() == title
    coach.fill("#material", "")
    coach.get_by_role("button", name="Give the task").click()
    card = coach.locator("section.card", has=coach.get_by_role("heading", name=title, exact=True))
    assert "<script>__xss(81)</script>" in card.text_content()
    assert 'https://example.fi/"><img src=x onerror=__xss(82)>' in card.text_content()
    hrefs = card.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert all(h.startswith("http") for h in hrefs), hrefs

    member = new_context().new_page()
    watch(member, calls, dialogs)
    sign_in_member(member, server, "valmennettava")
    member.goto(server.url + "/my/coaching/valmennus")
    mine = member.locator("section.card", has=member.get_by_role("heading", name=title, exact=True))
    assert "<script>__xss(81)</script>" in mine.text_content()
    mine.get_by_label(step).check()
    answer = "</textarea><script>__xss(87)</script>" + CORPUS[40]
    mine.get_by_label("A note to the coach (optional)").fill(answer)
    mine.get_by_role("button", name="Send the answer").click()
    mine = member.locator("section.card", has=member.get_by_role("heading", name=title, exact=True))
    assert answer.strip() in mine.text_content()

    coach.reload()
    card = coach.locator("section.card", has=coach.get_by_role("heading", name=title, exact=True))
    assert answer.strip() in card.text_content() and step in card.text_content()

    # A file whose name is a payload, sent into the thread: its name is text on both sides.
    file_name = '"><img src=x onerror=__xss(88)><svg onload=__xss(89)>.png'
    png = bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + bytes(32)
    member.set_input_files("#thread-file", files=[{"name": file_name, "mimeType": "image/png", "buffer": png}])
    member.get_by_role("button", name="Send the file").click()
    member.wait_for_load_state()
    member.locator("[data-log]").get_by_text(file_name, exact=False).first.wait_for()
    coach.reload()
    coach.locator("[data-log]").get_by_text(file_name, exact=False).first.wait_for()
    links = coach.locator("[data-log] a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert links and all(h.startswith("/api/coaching/files/") for h in links), links
    coach.goto(server.url + "/coaching/valmennus")
    assert calls == [] and dialogs == [], f"script ran: {calls} {dialogs}"


def test_reachout_pages_show_payloads_as_text(new_context, server):
    """Payloads as a contact plan's label and note (Matti's, edited through
    the API) and as an outcome's note logged from today's list (by the
    page's script): text on the worker's list, and on the coordinator's
    escalations page with the plan's history."""
    calls, dialogs = [], []
    worker = new_context().new_page()
    watch(worker, calls, dialogs)
    sign_in(worker, server, "worker1@demo.invalid")
    worker.goto(server.url + "/reachout")
    matti = worker.locator("li.contact", has=worker.get_by_role("heading", name="Matti", exact=False)).first
    plan = matti.get_attribute("data-plan")
    label = "<img src=x onerror=__xss(70)>Matti"
    # Plain text only (the rules refuse invisible format characters): the corpus' first payloads, one a line.
    note = "\n".join(BASE[:14])
    edited = worker.request.put(
        f"{server.url}/api/reachout/plans/{plan}",
        data={"label": label, "note": note, "rhythm": "daily", "time": "10:00", "channel": "phone"},
    )
    assert edited.status == 200, edited.text()

    worker.reload()
    row = worker.locator(f"li.contact[data-plan='{plan}']")
    assert label in row.get_by_role("heading", level=2).text_content()
    assert BASE[0] in row.text_content() and BASE[13] in row.text_content()
    outcome_note = '</textarea><script>__xss(71)</script>"><svg onload=__xss(72)>'
    row.get_by_label("Note (optional)").fill(outcome_note)
    row.get_by_role("button", name="Left a message", exact=True).click()
    row.locator("[data-outcomes]").get_by_text(outcome_note).wait_for()
    worker.reload()
    row = worker.locator(f"li.contact[data-plan='{plan}']")
    assert outcome_note in row.locator("[data-outcomes]").text_content()
    assert row.locator("img, svg, script, iframe").count() == 0

    coordinator = new_context().new_page()
    watch(coordinator, calls, dialogs)
    sign_in(coordinator, server, COORDINATOR)
    coordinator.goto(server.url + "/reachout/escalations")
    cards = coordinator.locator("li.escalation", has_text=label)
    assert cards.count() >= 1
    card = cards.first
    text = card.text_content()
    assert label in text and BASE[0] in text and BASE[13] in text and outcome_note in text
    assert coordinator.locator("main").locator("img, svg, script, iframe").count() == 0
    worker.goto(server.url + "/account")
    assert calls == [] and dialogs == [], f"script ran: {calls} {dialogs}"


def save_finder_points(server, slug: str, municipality: str, points: list[tuple[str, str, str]]) -> None:
    """Help points written straight into the demo server's SQLite file, as an
    import would save them: this build has no upkeep page to type them in.
    Ids are written the way the server wrote its own (blob or text)."""
    db = sqlite3.connect(server.data_dir / "kohtaamo.sqlite", timeout=10)
    try:
        kind, sample = db.execute("SELECT typeof(id), id FROM finder_points LIMIT 1").fetchone()

        def ident(u: uuid.UUID):
            if kind == "blob":
                return u.bytes
            return str(u).upper() if sample == sample.upper() else str(u)

        db.execute("INSERT INTO finder_municipalities (slug, name_fi, name_sv, name_en) VALUES (?, ?, ?, ?)",
                   (slug, municipality, municipality, municipality))
        organisation = ident(uuid.uuid4())
        for name, description, address in points:
            db.execute(
                "INSERT INTO finder_points (id, organisation_id, municipality, name, description, place, address, postal_code,"
                " city, themes, languages, access, phone, email, url, chat_service, updated_ms)"
                " VALUES (?, ?, ?, ?, ?, 'library', ?, '', '', 'safety', 'fi', 'both', '', '', '', NULL, 0)",
                (ident(uuid.uuid4()), organisation, slug, name, description, address))
        db.commit()
    finally:
        db.close()


def test_finder_page_shows_payloads_as_text(new_context, server):
    """Every payload as a help point's name, description or address (and one
    as the municipality's name), on the public finder page."""
    calls, dialogs = [], []
    third = len(CORPUS) // 3 + 1
    rows = [(CORPUS[i], CORPUS[(i + third) % len(CORPUS)], CORPUS[(i + 2 * third) % len(CORPUS)]) for i in range(third)]
    municipality = "<svg onload=__xss(80)>Kunta"
    save_finder_points(server, "xss-kunta", municipality, rows)
    page = new_context(locale="fi-FI").new_page()
    watch(page, calls, dialogs)
    page.goto(server.url + "/finder")
    assert page.get_by_role("link", name=municipality).count() == 1
    page.goto(server.url + "/finder/xss-kunta")
    assert municipality in page.get_by_role("heading", level=1).text_content()
    points = page.locator("article.finder-point")
    assert points.count() == len(rows)
    names = set(points.locator("h3").all_text_contents())
    text = page.locator("main").text_content()
    for name, description, address in rows:
        assert name in names, name
        assert description in text and address in text, (description, address)
    assert page.locator("main").locator("img, svg, script, iframe, object, embed, video, math, marquee, input").count() == 0
    # The corpus' page is big; the search form still works on it.
    page.get_by_label("Millä kielellä?").select_option("fi")
    page.get_by_role("button", name="Hae").click()
    assert page.locator("article.finder-point").count() == len(rows)


def test_finder_upkeep_pages_show_payloads_as_text(new_context, server):
    """Payloads as a help point's name, description and address (through the
    API) and as its exceptions' notes: text on the coordinator's list, the
    edit form (in its fields and the exceptions) and the removal question;
    and a payload typed into the form and refused comes back as the field's
    value, not as markup."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    calls, dialogs = [], []
    coordinator = new_context().new_page()
    watch(coordinator, calls, dialogs)
    sign_in(coordinator, server, COORDINATOR)
    name = "<svg onload=__xss(60)>Piste"
    description = "\n".join(BASE[:14])
    address = '"><img src=x onerror=__xss(61)>katu 1'
    made = coordinator.request.post(
        f"{server.url}/api/finder/points",
        data={
            "municipality": "Xsskylä", "name": name, "description": description, "place": "library", "address": address,
            "themes": ["safety"], "languages": ["fi"], "access": "drop_in", "hours": "MO 09:00-12:00",
        },
    )
    assert made.status == 201, made.text()
    point = made.json()["id"]
    # Notes are one plain line: the corpus' payloads without invisible characters, one a day.
    notes = [p for p in BASE if p.isprintable() and len(p) <= 200][:12]
    today = datetime.now(ZoneInfo("Europe/Helsinki")).date()
    for i, note in enumerate(notes):
        day = (today + timedelta(days=10 + i)).isoformat()
        r = coordinator.request.put(f"{server.url}/api/finder/points/{point}/exceptions/{day}", data={"closed": True, "note": note})
        assert r.status == 200, r.text()

    coordinator.goto(server.url + "/admin/finder")
    card = coordinator.locator("li.card", has_text="Piste")
    assert name in card.text_content() and address in card.text_content()
    coordinator.goto(f"{server.url}/admin/finder/{point}")
    assert name in coordinator.locator("h1").text_content()
    assert coordinator.locator("#point-name").input_value() == name
    assert coordinator.locator("#point-description").input_value() == description
    assert coordinator.locator("#point-address").input_value() == address
    listed = coordinator.locator("ul.exceptions").text_content()
    assert all(note in listed for note in notes), [n for n in notes if n not in listed]
    assert coordinator.locator("main ul.exceptions").locator("img, svg, script, iframe, a").count() == 0
    coordinator.goto(f"{server.url}/admin/finder/{point}/delete")
    assert name in coordinator.locator("h1").text_content()

    # Typed into the form and refused (no themes): the payload comes back as the value.
    coordinator.goto(f"{server.url}/admin/finder/new")
    typed = "</textarea><script>__xss(62)</script>" + CORPUS[40]
    coordinator.fill("#point-name", typed.strip())
    coordinator.fill("#point-description", typed)
    coordinator.fill("#point-address", '"><svg onload=__xss(63)>')
    with coordinator.expect_navigation():
        coordinator.get_by_role("button", name="Add the help point").click()
    coordinator.locator(".error-summary").wait_for()
    assert coordinator.locator("#point-name").input_value() == typed.strip()
    assert coordinator.locator("#point-address").input_value() == '"><svg onload=__xss(63)>'
    assert coordinator.locator("main").locator("img, svg, script, iframe").count() == 0
    assert coordinator.request.delete(f"{server.url}/api/finder/points/{point}").status == 204


def test_finder_import_report_shows_payloads_as_text(new_context, server):
    """Payloads as help points' names and descriptions in an imported CSV
    file (one point a payload), shown in the import page's table of what was
    saved; and as an unknown column's name, shown in its table of problems."""
    calls, dialogs = [], []
    page = new_context().new_page()
    watch(page, calls, dialogs)
    sign_in(page, server, COORDINATOR)

    def quoted(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'

    rows = ["municipality;name;description;place;themes;languages;access"]
    rows += [f"Oulu;{quoted(p)};{quoted(p)};online;safety;fi;appointment" for p in BASE]

    def upload(csv: str) -> None:
        page.goto(server.url + "/admin/finder/import")
        page.set_input_files("#import-file", files=[{"name": "xss.csv", "mimeType": "text/csv", "buffer": csv.encode()}])
        with page.expect_navigation():
            page.locator("form[action='/admin/finder/import'] button[type=submit]").click()

    upload("\r\n".join(rows) + "\r\n")
    saved = page.locator("main tbody tr")
    assert saved.count() == len(BASE), page.locator("main").inner_text()[:2000]
    names = {saved.nth(i).locator("td").first.text_content() for i in range(saved.count())}
    assert names == {p.strip() for p in BASE}
    assert page.locator("main table").locator("img, svg, script, iframe, a, input, details").count() == 0

    payload = '<img src=x onerror=__xss(90)>'
    upload(f"municipality;name;place;themes;languages;access;{quoted(payload)}\r\nOulu;X;online;safety;fi;drop_in;x\r\n")
    problem = page.locator("main tbody tr").first
    assert problem.locator("td").nth(1).text_content() == payload
    assert page.locator("main table").locator("img").count() == 0
    page.goto(server.url + "/admin")


def test_digital_support_pages_show_payloads_as_text(new_context, server):
    """Payloads as a pop-up event's and a group session's title, description
    and place (made through the API) and as a person's label: text on the
    staff's lists and forms, the public session page and the registered
    client's own page."""
    calls, dialogs = [], []
    worker = new_context().new_page()
    watch(worker, calls, dialogs)
    sign_in(worker, server, "worker1@demo.invalid")
    title = "<img src=x onerror=__xss(80)>Kurssi"
    place = '"><script>__xss(81)</script>'
    description = "\n".join(BASE[:14])
    label = "<svg onload=__xss(82)>Aino"
    common = {"title": title, "description": description, "municipality": "Xss-kylä", "place": place, "languages": ["fi"]}
    event = worker.request.post(
        f"{server.url}/api/digital/events",
        data={**common, "date": (date.today() + timedelta(days=30)).isoformat(), "start": "10:00", "end": "12:00", "address": BASE[1]},
    )
    assert event.status == 201, event.text()
    session = worker.request.post(f"{server.url}/api/digital/sessions", data={**common, "seats": 1})
    assert session.status == 201, session.text()
    sid = session.json()["id"]
    added = worker.request.post(f"{server.url}/api/digital/sessions/{sid}/participants", data={"label": label})
    assert added.status == 201, added.text()

    for path in ["/digital/events", f"/digital/events/{event.json()['id']}", "/digital/sessions", f"/digital/sessions/{sid}"]:
        worker.goto(server.url + path)
        text = worker.locator("main").text_content()
        assert title in text or worker.locator(f"input[value='{title}']").count() == 1, path
        assert worker.locator("main").locator("img, svg, script, iframe").count() == 0, path
    assert label in worker.locator("main").text_content()
    assert worker.locator("#session-description").input_value() == description

    client = new_context().new_page()
    watch(client, calls, dialogs)
    sign_in_member(client, server, "yhteydenpito")
    client.goto(f"{server.url}/digital/sessions/{sid}/public")
    text = client.locator("main").text_content()
    assert title in text and place in text and BASE[0] in text and BASE[13] in text
    with client.expect_navigation():
        client.get_by_role("button", name="Join the waiting list").click()
    client.goto(f"{server.url}/my/digital")
    assert title in client.locator("main").text_content() and place in client.locator("main").text_content()
    assert client.locator("main").locator("img, svg, script, iframe").count() == 0
    assert label not in client.content()
    assert calls == [] and dialogs == [], f"script ran: {calls} {dialogs}"


def test_mapping_pages_show_payloads_as_text(new_context, server):
    """Payloads as the network's questions (saved by the coordinator through
    the API) and as a client's goal: text on the coordinator's editor, the
    questionnaire, the worker's client page and the client's progress. The
    default questions are saved back at the end, for the tests after."""
    calls, dialogs = [], []
    coordinator = new_context().new_page()
    watch(coordinator, calls, dialogs)
    sign_in(coordinator, server, COORDINATOR)
    before = coordinator.request.get(f"{server.url}/api/digital/questionnaire").json()
    question = "<img src=x onerror=__xss(90)>Osaan"
    themes = ["device_basics", "messaging", "online_services", "safety", "job_search", "content"]
    saved = coordinator.request.put(
        f"{server.url}/api/digital/questionnaire",
        data={"questions": [{"theme": t, "fi": question, "en": BASE[0], "sv": BASE[3]} for t in themes], "rules": before["rules"]},
    )
    assert saved.status == 200, saved.text()
    worker = new_context().new_page()
    watch(worker, calls, dialogs)
    sign_in(worker, server, "worker1@demo.invalid")
    mapped = worker.request.post(
        f"{server.url}/api/digital/mappings", data={"nickname": "valmennettava", "answers": {f"{t}_1": 1 for t in themes}}
    )
    assert mapped.status == 201, mapped.text()
    member = mapped.json()["member"]
    goal = "<svg onload=__xss(91)>Opin"
    added = worker.request.post(f"{server.url}/api/digital/clients/{member}/goals", data={"theme": "safety", "text": goal})
    assert added.status == 201, added.text()

    coordinator.goto(f"{server.url}/digital/mapping/questionnaire")
    assert coordinator.locator("#q_safety_1_fi").input_value() == question
    worker.goto(f"{server.url}/digital/mapping/new?nickname=valmennettava")
    worker.goto(f"{server.url}/digital/mapping/clients/{member}")
    text = worker.locator("main").text_content()
    # The pages are in English here: the questions' English text.
    assert goal in text and BASE[0] in text
    assert worker.locator("main").locator("img, script, iframe, svg[onload]").count() == 0
    client = new_context().new_page()
    watch(client, calls, dialogs)
    sign_in_member(client, server, "valmennettava")
    for path in ["/my/digital/mapping", "/my/digital/mapping/progress"]:
        client.goto(server.url + path)
        assert client.locator("main").locator("img, script, iframe, svg[onload]").count() == 0, path
    assert BASE[0] in client.locator("main").text_content() and goal in client.locator("main").text_content()
    assert calls == [] and dialogs == [], f"script ran: {calls} {dialogs}"
    restored = coordinator.request.put(
        f"{server.url}/api/digital/questionnaire",
        data={"questions": [{k: q[k] for k in ("theme", "fi", "sv", "en")} for q in before["questions"]], "rules": before["rules"]},
    )
    assert restored.status == 200, restored.text()


def test_digital_times_show_a_place_payload_as_text(new_context, server):
    """A payload as the place of a worker's free time of digital support:
    text on the worker's times page, the client's booking page and their
    own digital page."""
    calls, dialogs = [], []
    worker = new_context().new_page()
    watch(worker, calls, dialogs)
    sign_in(worker, server, "worker1@demo.invalid")
    place = '"><img src=x onerror=__xss(83)>Pääkirjasto'
    start = (date.today() + timedelta(days=20)).isoformat() + "T09:17:00Z"
    slot = worker.request.post(f"{server.url}/api/digital/times/slots", data={"start": start, "minutes": 30, "place": place})
    assert slot.status == 201, slot.text()
    organisation = worker.request.get(f"{server.url}/api/digital/appointments").json()[0]["organisation"]
    worker.goto(f"{server.url}/digital/times")
    assert place in worker.locator("main").text_content()
    assert worker.locator("main").locator("img, svg, script, iframe").count() == 0

    client = new_context().new_page()
    watch(client, calls, dialogs)
    sign_in_member(client, server, "yhteydenpito")
    client.goto(f"{server.url}/my/digital/times/{organisation}")
    assert place in client.locator("main").text_content()
    booked = client.request.post(
        f"{server.url}/api/my/digital/times/{organisation}/appointments", data={"slot": slot.json()["id"]})
    assert booked.status == 201, booked.text()
    for path in [f"/my/digital/times/{organisation}", "/my/digital"]:
        client.goto(server.url + path)
        assert place in client.locator("main").text_content(), path
        assert client.locator("main").locator("img, svg, script, iframe").count() == 0, path


def test_buddy_course_pages_show_payloads_as_text(new_context, server):
    """Payloads as a buddy course module's title, text, link title, quiz
    question and options (written through the API by a coordinator): text on
    the course, the module with its quiz and the coordinator's form. The
    course is put back as it was afterwards (the server is shared)."""
    calls, dialogs = [], []
    page = new_context().new_page()
    watch(page, calls, dialogs)
    sign_in(page, server, COORDINATOR)
    before = page.request.get(f"{server.url}/api/digital/buddy/course").json()["modules"]
    kept = [
        {"id": m["id"], "title": m["title"], "text": m["text"], "links": m["links"],
         "quiz": [{"text": q["text"], "options": q["options"], "right": q["right"]} for q in m["quiz"]]}
        for m in before
    ]
    title = "<img src=x onerror=__xss(90)>Osa"
    link = '"><script>__xss(91)</script>Ohje'
    question = "<svg onload=__xss(92)>Kysymys?"
    option = "<iframe src=javascript:__xss(93)>"
    payload = {
        "title": title, "text": "\n\n".join(BASE[:14]), "links": [{"title": link, "url": "https://example.org/ohje"}],
        "quiz": [{"text": question, "options": [option, BASE[2]], "right": 0}],
    }
    saved = page.request.put(f"{server.url}/api/digital/buddy/course", data={"modules": kept + [payload]})
    assert saved.status == 200, saved.text()
    mid = saved.json()["modules"][-1]["id"]
    try:
        for path in ["/digital/buddy/course", f"/digital/buddy/course/{mid}", f"/digital/buddy/modules/{mid}"]:
            page.goto(server.url + path)
            main = page.locator("main")
            assert title in main.text_content() or page.locator("#module-title").input_value() == title, path
            assert main.locator("img, svg, script, iframe").count() == 0, path
        page.goto(f"{server.url}/digital/buddy/course/{mid}")
        text = page.locator("main").text_content()
        assert link in text and question in text and option in text and BASE[0] in text and BASE[13] in text
        page.goto(f"{server.url}/digital/buddy/modules/{mid}")
        assert page.locator("#module-q1").input_value() == question and page.locator("#module-q1-o1").input_value() == option
        assert link in page.locator("#module-links").input_value()
    finally:
        restored = page.request.put(f"{server.url}/api/digital/buddy/course", data={"modules": kept})
        assert restored.status == 200, restored.text()
    assert calls == [] and dialogs == [], f"script ran: {calls} {dialogs}"


def test_material_bank_shows_payloads_as_text(new_context, server):
    """Payloads as a material's title, description and file name (through the
    API by a worker): text in the bank's search results (where the matched
    words are marked, the only markup the server adds), on the material's
    page with its edit form and versions, and on the client's page."""
    calls, dialogs = [], []
    page = new_context().new_page()
    watch(page, calls, dialogs)
    sign_in(page, server, COORDINATOR)
    title = "<img src=x onerror=__xss(100)>xssopas <b>"
    description = "xssopas\n" + "\n".join(BASE[:14])
    name = '"><svg onload=__xss(101)>opas.txt'
    made = page.request.post(
        f"{server.url}/api/materials/files?" + urllib.parse.urlencode({
            "name": name, "title": title, "description": description, "audiences": "clients,staff", "languages": "fi",
            "visibility": "organisation", "themes": "safety"}, quote_via=urllib.parse.quote),
        headers={"Content-Type": "application/octet-stream"}, data="xssopas: " + BASE[0])
    assert made.status == 201, made.text()
    mid = made.json()["id"]
    try:
        page.goto(f"{server.url}/bank?q=xssopas")
        card = page.locator("li.card", has_text="xssopas")
        assert card.count() == 1 and title in card.text_content()
        assert card.locator("mark").count() >= 1
        assert page.locator("main").locator("img, svg, script, iframe, b").count() == 0
        page.goto(f"{server.url}/bank/{mid}")
        assert title in page.locator("h1").text_content()
        assert page.locator("#title").input_value() == title and page.locator("#description").input_value() == description
        assert name in page.locator("#versions + ul").text_content()
        assert page.locator("main").locator("img, svg, script, iframe, b").count() == 0
        page.goto(f"{server.url}/materials/{mid}")
        assert title in page.locator("h1").text_content() and BASE[13] in page.locator("main").text_content()
        assert page.locator("main").locator("img, svg, script, iframe, b").count() == 0
        # Typed into the edit form and refused (no language): the payload comes back as the value.
        page.goto(f"{server.url}/bank/{mid}")
        typed = "</textarea><script>__xss(102)</script>" + CORPUS[40]
        page.fill("#description", typed)
        page.locator("#languages-fi").uncheck()
        with page.expect_navigation():
            page.get_by_role("button", name="Save").click()
        page.locator(".error-summary").wait_for()
        assert page.locator("#description").input_value() == typed
        assert page.locator("main").locator("img, svg, script, iframe").count() == 0
        # Attached to a coaching task, the title is the link's text on the coach's and the coachee's page.
        coach = new_context().new_page()
        watch(coach, calls, dialogs)
        sign_in(coach, server, "worker1@demo.invalid")
        coach.goto(server.url + "/coaching/valmennus")
        coach.get_by_role("link", name="valmennettava", exact=True).click()
        coach.fill("#title", "Lue xssopas")
        coach.select_option("#bank", value=mid)
        coach.get_by_role("button", name="Give the task").click()
        card = coach.locator("section.card", has=coach.get_by_role("heading", name="Lue xssopas", exact=True))
        assert card.get_by_role("link", name=title, exact=True).get_attribute("href") == f"/materials/{mid}"
        assert card.locator("img, svg, script, iframe, b").count() == 0
        member = new_context().new_page()
        watch(member, calls, dialogs)
        sign_in_member(member, server, "valmennettava")
        member.goto(server.url + "/my/coaching/valmennus")
        mine = member.locator("section.card", has=member.get_by_role("heading", name="Lue xssopas", exact=True))
        assert mine.get_by_role("link", name=title, exact=True).count() == 1
        assert mine.locator("img, svg, script, iframe, b").count() == 0
    finally:
        assert page.request.delete(f"{server.url}/api/materials/{mid}").status == 204
    assert calls == [] and dialogs == [], f"script ran: {calls} {dialogs}"


def test_statistics_show_topic_labels_and_service_names_as_text(new_context, server):
    """The names the statistics show: a chat topic's label and the support
    chat's name hold payloads (written into the demo server's SQLite file,
    put back afterwards; the demo's weeks of chats use every topic). Text in
    the coordinator's tables, never markup: the chart is the only SVG."""
    calls, dialogs = [], []
    label = "<img src=x onerror=__xss(97)>Aihe"
    name = '"><svg onload=__xss(98)>Chat</title><script>__xss(99)</script>'
    db = sqlite3.connect(server.data_dir / "kohtaamo.sqlite", timeout=10)
    try:
        service, old_name = db.execute("SELECT id, name_en FROM services WHERE slug = 'tukichat'").fetchone()
        topic, old_label = db.execute(
            "SELECT id, label_en FROM chat_topics WHERE service_id = ? ORDER BY created_ms LIMIT 1", (service,)).fetchone()
        db.execute("UPDATE services SET name_en = ? WHERE id = ?", (name, service))
        db.execute("UPDATE chat_topics SET label_en = ? WHERE id = ?", (label, topic))
        db.commit()
        page = new_context().new_page()
        watch(page, calls, dialogs)
        sign_in(page, server, COORDINATOR)
        page.goto(server.url + "/stats")
        main = page.locator("main")
        text = main.text_content()
        assert label in text and name in text
        assert main.locator("img, script, iframe").count() == 0
        # The only SVGs are the sections' charts (role="img"), none of the payload's.
        assert main.locator("svg").count() == main.locator("svg[role=img]").count() == 6
    finally:
        db.execute("UPDATE services SET name_en = ? WHERE id = ?", (old_name, service))
        db.execute("UPDATE chat_topics SET label_en = ? WHERE id = ?", (old_label, topic))
        db.commit()
        db.close()
    assert calls == [] and dialogs == [], f"script ran: {calls} {dialogs}"
