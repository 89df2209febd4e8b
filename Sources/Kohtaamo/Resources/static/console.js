// The worker console: shift, the shared queue (live), and the chats this
// worker has taken, each with its own log and composer.
import { RealtimeClient } from "./realtime.js";
import { ConversationView, textsOf } from "./conversation.js";
import { CallPanel } from "./call.js";
import { materialLine, insertAt } from "./materialpick.js";

const root = document.querySelector("[data-console]");
if (root) {
  const t = textsOf(root);
  const views = new Map();
  const calls = new Map(); // conversation -> CallPanel
  const queueList = document.getElementById("queue");
  const queueEmpty = document.getElementById("queue-empty");
  const notice = document.getElementById("console-notice");
  const chats = document.getElementById("chats");
  const template = document.getElementById("chat-panel");
  const connection = document.getElementById("connection");
  const baseTitle = document.title;
  let queueLength = 0;
  let client;
  // Topic tags, ready-made replies and referral cards, by service slug.
  const kit = JSON.parse(root.dataset.kit || "{}");
  const kitOf = (slug) => kit.services?.[slug] ?? { name: slug, topics: [], texts: [] };

  const say = (text) => {
    notice.textContent = text;
  };

  const announcer = document.getElementById("announcer");

  /** The panel's topic checkboxes and its list of texts to insert. */
  const fillTools = (panel, c) => {
    const { topics, texts } = kitOf(panel.dataset.slug);
    const fieldset = panel.querySelector("[data-topics]");
    for (const topic of topics) {
      const div = document.createElement("div");
      div.className = "check";
      const input = Object.assign(document.createElement("input"), { type: "checkbox", name: "topics", value: topic.id, id: `topic-${topic.id}-${c}` });
      const label = Object.assign(document.createElement("label"), { htmlFor: input.id, textContent: topic.label });
      div.append(input, label);
      fieldset.append(div);
    }
    if (!topics.length) fieldset.append(Object.assign(document.createElement("p"), { textContent: t.noTopics }));
    // Texts in the chat's language; all of them when there are none in it.
    const all = [...texts, ...(kit.personal ?? [])];
    const own = all.filter((x) => x.language === panel.dataset.language);
    const shown = own.length ? own : all;
    const tool = panel.querySelector("[data-insert-tool]");
    const select = tool.querySelector("[data-insert]");
    if (!shown.length) {
      tool.hidden = true;
      return;
    }
    const groups = { reply: tool.dataset.reply, personal: tool.dataset.personal, referral: tool.dataset.referral };
    for (const kind of Object.keys(groups)) {
      const items = shown.filter((x) => x.kind === kind);
      if (!items.length) continue;
      const group = Object.assign(document.createElement("optgroup"), { label: groups[kind] });
      for (const item of items) {
        const option = Object.assign(document.createElement("option"), { textContent: own.length ? item.title : `${item.title} (${item.language})` });
        option.dataset.text = item.text;
        group.append(option);
      }
      select.append(group);
    }
    tool.querySelector("[data-insert-button]").addEventListener("click", () => {
      const option = select.selectedOptions[0];
      const box = panel.querySelector("[data-composer] textarea");
      if (!option || !box) return;
      box.value = box.value.trim() ? `${box.value.trimEnd()}\n${option.dataset.text}` : option.dataset.text;
      box.focus();
      box.setSelectionRange(box.value.length, box.value.length);
      say(t.inserted);
    });
  };

  /** The panel's material picker: client material of the bank, found by title words, put into the reply as a link. */
  const fillMaterials = (panel) => {
    const tool = panel.querySelector("[data-material-tool]");
    if (!tool) return;
    const search = tool.querySelector("[data-material-q]");
    const select = tool.querySelector("[data-material-pick]");
    const none = tool.querySelector("[data-material-none]");
    let timer;
    const load = async () => {
      const r = await fetch(`/api/support/materials?q=${encodeURIComponent(search.value.trim())}`).catch(() => null);
      const items = r?.ok ? await r.json() : [];
      select.replaceChildren(
        ...items.map((item) => {
          const option = Object.assign(document.createElement("option"), { textContent: item.title });
          option.dataset.line = materialLine(item);
          return option;
        }),
      );
      none.textContent = items.length ? "" : none.dataset.empty;
    };
    none.dataset.empty = none.textContent;
    none.textContent = "";
    search.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(load, 250);
    });
    tool.querySelector("[data-material-button]").addEventListener("click", () => {
      const option = select.selectedOptions[0];
      const box = panel.querySelector("[data-composer] textarea");
      if (!option || !box) return;
      const { value, caret } = insertAt(box.value, box.selectionStart, box.selectionEnd, option.dataset.line);
      box.value = value;
      box.focus();
      box.setSelectionRange(caret, caret);
      say(t.inserted);
    });
    load();
  };

  const attach = (panel) => {
    const c = panel.dataset.conversation;
    const view = new ConversationView(panel, c, t, () => client, announcer, { role: "worker" });
    view.onIncoming = () => view.markShown();
    views.set(c, view);
    // A voice or video call with the client, inside this chat.
    const callRoot = panel.querySelector("[data-call]");
    if (callRoot) {
      // The panel is a level-3 section: its call heading is a level 4 one.
      const h2 = callRoot.querySelector("h2");
      const h4 = Object.assign(document.createElement("h4"), { id: h2.id, textContent: h2.textContent });
      h2.replaceWith(h4);
      const call = new CallPanel({ root: callRoot, c, kind: "pair", client: () => client });
      calls.set(c, call);
      call.init();
    }
    // Internal notes: a staff-only conversation of their own.
    const notesRoot = panel.querySelector("[data-notes-view]");
    if (panel.dataset.notes && notesRoot) {
      const notes = new ConversationView(notesRoot, panel.dataset.notes, t, () => client, announcer, { role: "worker" });
      views.set(panel.dataset.notes, notes);
    }
    const endCall = () => {
      calls.get(c)?.close();
      calls.delete(c);
    };
    const detach = (message) => {
      endCall();
      views.delete(c);
      if (panel.dataset.notes) views.delete(panel.dataset.notes);
      panel.remove();
      say(message);
    };
    fillTools(panel, c);
    fillMaterials(panel);
    const select = panel.querySelector("[data-transfer-to]");
    let loaded = false;
    select?.addEventListener("focus", async () => {
      if (loaded) return;
      loaded = true;
      const r = await fetch(`/api/support/chats/${c}/colleagues`);
      if (!r.ok) return;
      for (const colleague of await r.json()) {
        const option = document.createElement("option");
        option.value = `staff:${colleague.id}`;
        option.textContent = t.colleague.replace("{name}", colleague.name);
        select.insertBefore(option, select.options[1] ?? null);
      }
    });
    panel.querySelector("[data-transfer]")?.addEventListener("submit", async (event) => {
      event.preventDefault();
      const [kind, value] = (select.value || ":").split(/:(.*)/s);
      if (!value) return select.focus();
      const note = event.target.querySelector("textarea").value;
      const body = kind === "staff" ? { to: value, note } : { service: value, note };
      const r = await fetch(`/api/support/chats/${c}/transfer`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      if (r.ok) detach(t.transferred);
      else say((await r.json().catch(() => ({}))).message ?? t.failed);
    });
    panel.querySelector("[data-close]")?.addEventListener("submit", async (event) => {
      event.preventDefault();
      const topics = [...event.target.querySelectorAll("input[name=topics]:checked")].map((el) => el.value);
      const r = await fetch(`/api/support/chats/${c}/close`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ topics }),
      });
      if (r.ok) {
        view.close();
        endCall();
        panel.dataset.state = "closed";
        // The worker is no longer a participant: what is on screen stays,
        // but a reconnect must not try to sync it again.
        views.delete(c);
        if (panel.dataset.notes) views.delete(panel.dataset.notes);
        say(t.closedDone);
      } else say((await r.json().catch(() => ({}))).message ?? t.failed);
    });
    return view;
  };

  /** A panel for a chat that is now this worker's (taken, or handed over). */
  const addPanel = ({ conversation: c, nickname, service, notes, language }, sync = true) => {
    if (views.has(c)) return;
    const panel = template.content.firstElementChild.cloneNode(true);
    panel.dataset.conversation = c;
    panel.dataset.slug = service;
    panel.dataset.language = language || "fi";
    if (notes) panel.dataset.notes = notes;
    panel.querySelector("[data-nickname]").textContent = nickname;
    panel.querySelector("[data-service]").textContent = kitOf(service).name;
    for (const el of panel.querySelectorAll("[id]")) el.id = `${el.id}-${c}`;
    for (const el of panel.querySelectorAll("[for]")) el.htmlFor = `${el.htmlFor}-${c}`;
    for (const el of panel.querySelectorAll("[aria-labelledby]")) el.setAttribute("aria-labelledby", `${el.getAttribute("aria-labelledby")}-${c}`);
    chats.prepend(panel);
    attach(panel);
    if (sync) {
      client.sync(c, 0);
      if (notes) client.sync(notes, 0);
    }
    return panel;
  };

  // Chats already this worker's when the page loaded; the socket syncs them on connect.
  for (const entry of JSON.parse(chats.dataset.active || "[]").reverse()) addPanel(entry, false);

  const take = async (c) => {
    const r = await fetch(`/api/support/chats/${c}/take`, { method: "POST" });
    const answer = await r.json().catch(() => ({}));
    if (!r.ok) {
      say(answer.message ?? t.failed);
      return;
    }
    const panel = addPanel(answer);
    say(t.takenDone.replace("{name}", answer.nickname));
    panel?.querySelector("textarea").focus();
  };

  const beep = () => {
    try {
      const audio = new AudioContext();
      const tone = audio.createOscillator();
      tone.frequency.value = 660;
      tone.connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.15);
    } catch {
      // No sound available: the title still tells.
    }
  };

  const showQueue = (queue) => {
    queueList.replaceChildren(
      ...queue.map((entry) => {
        const li = document.createElement("li");
        const minutes = Math.max(0, Math.round((Date.now() - Date.parse(entry.waitingSince)) / 60000));
        const label = document.createElement("span");
        label.textContent = t.queueItem.replace("{name}", entry.nickname).replace("{service}", entry.service).replace("{min}", minutes);
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = t.take;
        button.setAttribute("aria-label", `${t.take}: ${entry.nickname}`);
        button.addEventListener("click", () => take(entry.conversation));
        li.append(label, " ", button);
        li.dataset.conversation = entry.conversation;
        return li;
      }),
    );
    queueEmpty.hidden = queue.length > 0;
    if (queue.length > queueLength) beep();
    queueLength = queue.length;
    document.title = queue.length ? `(${queue.length}) ${baseTitle}` : baseTitle;
  };

  document.getElementById("take-next")?.addEventListener("click", () => {
    const first = queueList.querySelector("li");
    if (first) take(first.dataset.conversation);
    else say(t.queueEmpty);
  });

  document.getElementById("shift-form")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const services = [...event.target.querySelectorAll("input[name=services]:checked")].map((el) => el.value);
    const ending = event.submitter?.value === "end";
    if (!ending && services.length === 0) {
      // Starting a shift for no service would do nothing: say so, and go to the boxes.
      say(t.shiftChoose);
      event.target.querySelector("input[name=services]")?.focus();
      return;
    }
    const r = ending
      ? await fetch("/api/shifts", { method: "DELETE" })
      : await fetch("/api/shifts", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ services }) });
    if (r.ok) say(ending ? t.shiftEnded : t.shiftStarted);
    else say((await r.json().catch(() => ({}))).message ?? t.failed);
    if (ending) showQueue([]);
  });

  client = new RealtimeClient({
    positions: () => [...views.values()].map((v) => v.position()),
    onState: (state) => {
      connection.textContent = t[state];
      connection.dataset.state = state;
    },
    onFrame: (f) => {
      if (f.t === "queue") return showQueue(f.queue);
      if (f.t === "assigned") {
        addPanel({ conversation: f.c, nickname: f.nickname, service: f.service, notes: f.notes, language: f.language });
        say(t.assigned.replace("{name}", f.nickname));
        beep();
        return;
      }
      if (f.t === "call" || f.t === "signal") return calls.get(f.c)?.handle(f);
      const view = f.c ? views.get(f.c) : null;
      if (!view) return;
      if (f.t === "chat" && f.state === "deleted") {
        view.close();
        calls.get(f.c)?.close();
        view.root.dataset.state = "deleted";
        say(t.deletedByClient);
        return;
      }
      view.handle(f);
      if (f.t === "synced") {
        view.markShown();
        calls.get(f.c)?.handle(f);
      }
    },
  });
  client.start();
  fetch("/api/support/queue").then((r) => (r.ok ? r.json() : [])).then(showQueue, () => {});
}
