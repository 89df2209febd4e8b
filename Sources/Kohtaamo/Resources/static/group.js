// A group's room: the shared conversation view, plus what groups add —
// reporting a message, a moderator's remove and "moderate…" links, the
// room opening and closing at its times, and being muted, removed or banned.
// Every text people wrote is put into the page as text, never as HTML.
import { RealtimeClient } from "./realtime.js";
import { ConversationView, textsOf } from "./conversation.js";
import { setupQuickExit } from "./quick-exit.js";
import { lazyCallPanel } from "./call-loader.js";

setupQuickExit();

const root = document.querySelector("[data-room]");
if (root) {
  const t = textsOf(root);
  const c = root.dataset.conversation;
  const slug = root.dataset.slug;
  const moderator = "moderator" in root.dataset;
  // Only members report; staff who do not moderate get neither (a report by them would be refused).
  const member = "member" in root.dataset;
  const status = document.getElementById("room-status");
  const connection = document.getElementById("connection");
  const composer = root.querySelector("[data-composer]");
  const presence = document.getElementById("presence");
  let open = root.dataset.open === "true";
  let client;
  const view = new ConversationView(root, c, t, () => client, document.getElementById("announcer"));
  // The room's call: members join and leave at will; moderators mute all and remove.
  const callRoot = root.querySelector("[data-call]");
  const call = callRoot ? lazyCallPanel({ root: callRoot, c, kind: "group", client: () => client }) : null;

  /** Posts one of the group's forms; true when the server took it. */
  async function post(path, fields) {
    const body = new URLSearchParams({ csrf: root.dataset.csrf, ...fields });
    const response = await fetch(`/g/${encodeURIComponent(slug)}/messages/${path}`, {
      method: "POST",
      headers: { Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" },
      body,
    });
    return response.ok;
  }

  function button(text, onClick) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "link-button";
    b.textContent = text;
    b.addEventListener("click", onClick);
    return b;
  }

  // Others' messages get "Report" (members) or "Remove" and "Moderate…" (moderators).
  view.onRendered = (li, m) => {
    if (m.from === null || !m.seq || m.from.role === "system") return;
    const actions = document.createElement("div");
    actions.className = "msg-actions";
    if (moderator) {
      actions.append(button(t.remove, async () => {
        if (await post(`${m.seq}/remove`, {})) li.querySelector(".msg-actions")?.remove();
      }));
      const link = document.createElement("a");
      link.href = `/g/${encodeURIComponent(slug)}/moderation?seq=${m.seq}`;
      link.textContent = t.moderate;
      actions.append(link);
    } else if (member && m.from.role === "client") {
      actions.append(button(t.report, () => showReport(li, m.seq, actions)));
    }
    if (actions.childElementCount) li.append(actions);
  };

  function showReport(li, seq, actions) {
    if (li.querySelector(".report-form")) return;
    const form = document.createElement("form");
    form.className = "report-form";
    const id = `report-${seq}`;
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = t.reportReason;
    const input = document.createElement("input");
    input.id = id;
    input.required = true;
    input.maxLength = 300;
    const send = document.createElement("button");
    send.type = "submit";
    send.textContent = t.reportSend;
    const cancel = button(t.cancel, () => form.remove());
    form.append(label, input, send, cancel);
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      if (!input.value.trim()) return input.focus();
      if (await post(`${seq}/report`, { reason: input.value.trim() })) {
        form.remove();
        actions.replaceChildren(document.createTextNode(t.reported));
      }
    });
    li.append(form);
    input.focus();
  }

  const showRead = () => {
    if (document.visibilityState === "visible") view.markShown();
  };
  view.onIncoming = showRead;
  document.addEventListener("visibilitychange", showRead);

  /** Out of the room (removed, banned, rules changed): say why, stop writing. */
  function out(text) {
    status.textContent = text;
    view.close();
    composer.hidden = true;
    call?.close();
    client.stop?.();
  }

  client = new RealtimeClient({
    positions: () => [view.position()],
    onState: (state) => {
      if (state === "online") call?.load();
      connection.textContent = t[state];
      connection.dataset.state = state;
    },
    onFrame: (f) => {
      if (f.c && f.c !== c) return;
      if (f.t === "call" || f.t === "signal") {
        call?.handle(f);
      } else if (f.t === "room") {
        open = f.open;
        status.textContent = open ? t.roomOpen : t.roomClosed;
        composer.hidden = !open;
      } else if (f.t === "moderation") {
        const reason = f.reason ? ` ${f.reason}` : "";
        if (f.action === "muted") status.textContent = `${t.muted}${reason}`;
        if (f.action === "removed") out(`${t.excluded}${reason}`);
        if (f.action === "banned") out(`${t.banned}${reason}`);
        if (f.action === "rules_changed") location.assign(`/g/${encodeURIComponent(slug)}`);
      } else if (f.t === "presence") {
        presence.textContent = t.here.replace("{n}", f.here);
      } else if (f.t === "report") {
        status.textContent = t.newReport;
      } else {
        view.handle(f);
        if (f.t === "synced") {
          composer.hidden = !open;
          showRead();
          call?.handle(f);
        }
      }
    },
  });
  client.start();
  call?.init();
}
