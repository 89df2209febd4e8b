// One conversation on the page: its log, its outbox and its composer. Used
// by the client's chat page and by each chat of the worker console.
// Every text people wrote is put into the page as text (textContent),
// never as HTML.
import { Outbox, Timeline } from "./outbox.js";

export class ConversationView {
  /**
   * @param {HTMLElement} root element with [data-log], [data-composer], [data-typing]
   * @param {string} c conversation id
   * @param {object} texts localised strings (from data-t-* attributes)
   * @param {() => import("./realtime.js").RealtimeClient} client
   * @param {HTMLElement} announcer a live region for new messages from others
   */
  constructor(root, c, texts, client, announcer, { role = "client" } = {}) {
    this.root = root;
    this.c = c;
    this.t = texts;
    this.client = client;
    this.announcer = announcer;
    this.role = role;
    this.timeline = new Timeline();
    this.outbox = new Outbox(c, localStorage);
    this.mine = new Set(this.outbox.pending().map((m) => m.id)); // ids this browser sent
    this.elements = new Map(); // message id -> element
    this.synced = false;
    this.lastTypingSent = 0;
    this.closed = false;
    this.log = root.querySelector("[data-log]");
    this.typing = root.querySelector("[data-typing]");
    this.form = root.querySelector("[data-composer]");
    this.input = this.form?.querySelector("textarea");
    this.form?.addEventListener("submit", (e) => {
      e.preventDefault();
      this.write();
    });
    this.input?.addEventListener("keydown", (e) => {
      // Enter sends, Shift+Enter makes a new line.
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.write();
      }
    });
    this.input?.addEventListener("input", () => this.#typed());
    for (const item of this.outbox.pending()) this.#render({ id: item.id, body: item.body, from: null }, "sending");
  }

  position() {
    return { c: this.c, after: this.timeline.last };
  }

  write() {
    const body = this.input.value.trim();
    if (!body || this.closed) return;
    const item = this.outbox.add(body);
    this.mine.add(item.id);
    this.#render({ id: item.id, body, from: null }, "sending");
    this.input.value = "";
    this.#send(item);
  }

  #send(item) {
    if (!this.synced) return; // sent after the sync completes
    this.client().send({ t: "send", c: this.c, id: item.id, body: item.body });
  }

  /** Sends everything still waiting, in the order it was written. */
  flush() {
    for (const item of this.outbox.pending()) this.#send(item);
  }

  #typed() {
    const now = Date.now();
    if (now - this.lastTypingSent > 3000 && this.synced && !this.closed) {
      this.lastTypingSent = now;
      this.client().send({ t: "typing", c: this.c });
    }
  }

  /** A frame for this conversation. */
  handle(frame) {
    switch (frame.t) {
      case "msg":
        return this.#message(frame);
      case "ack":
        this.outbox.acked(frame.id);
        this.#setState(frame.id, "sent", frame.seq);
        return;
      case "synced":
        this.synced = true;
        if (this.timeline.hasGap()) this.client().sync(this.c, this.timeline.last);
        this.flush();
        return;
      case "typing":
        return this.#showTyping(frame.from);
      case "read":
        return this.#markRead(frame.seq);
      case "seen":
        // A room's reads, gathered by the server.
        return othersHaveRead(frame) ? this.#markRead(frame.seq) : undefined;
      case "error":
        return this.#refused(frame);
      case "removed":
        return this.#removed(frame.seq);
    }
  }

  /** A moderator removed a message: its text goes, its place stays. */
  #removed(seq) {
    const li = this.log.querySelector(`[data-seq="${Number(seq)}"]`);
    if (!li) return;
    li.classList.add("msg-removed");
    li.querySelector(".msg-body").textContent = this.t.removed ?? "";
    li.querySelector(".msg-actions")?.remove();
  }

  #message(m) {
    if (!this.timeline.add(m)) return;
    const own = m.mine === true || this.mine.has(m.id) || this.elements.has(m.id);
    if (own && this.elements.has(m.id)) {
      this.outbox.acked(m.id);
      this.#setState(m.id, "sent", m.seq);
    } else if (own) {
      this.#render({ ...m, from: null }, "sent");
    } else {
      this.#render(m, null);
      if (this.typing) this.typing.textContent = "";
      if (!m.removed) this.announcer.textContent = `${m.from.name}: ${m.body}`;
      this.onIncoming?.(m);
    }
    // A seq missing below this one: ask for it.
    if (this.synced && this.timeline.hasGap()) this.client().sync(this.c, this.timeline.last);
  }

  #refused(frame) {
    if (!frame.id) return;
    const retryable = frame.code === "rate_limited" || frame.code === "unavailable";
    if (retryable) {
      const item = this.outbox.pending().find((m) => m.id === frame.id);
      if (item) setTimeout(() => this.#send(item), frame.retryAfter ?? 2000);
      return;
    }
    this.outbox.drop(frame.id);
    this.#setState(frame.id, "failed", null, frame.message);
  }

  #render(m, state) {
    const li = document.createElement("li");
    li.className = m.from === null ? "msg msg-own" : `msg msg-${m.from.role === "client" ? "client" : "staff"}`;
    const who = document.createElement("span");
    who.className = "msg-from";
    who.textContent = m.from === null ? this.t.you : m.from.name;
    const body = document.createElement("p");
    body.className = "msg-body";
    if (m.removed) body.textContent = this.t.removed ?? "";
    else fillBody(body, m.body);
    if (m.removed) li.classList.add("msg-removed");
    li.append(who, body);
    if (m.from === null) {
      const status = document.createElement("span");
      status.className = "msg-state";
      li.append(status);
    }
    if (m.seq) li.dataset.seq = m.seq;
    this.elements.set(m.id, li);
    // Keep seq order: a message goes before the first one with a higher seq.
    const after = m.seq ? [...this.log.children].find((el) => el.dataset.seq && Number(el.dataset.seq) > m.seq) : null;
    this.log.insertBefore(li, after ?? null);
    if (state) this.#setState(m.id, state, m.seq);
    if (!m.removed) this.onRendered?.(li, m);
    li.scrollIntoView?.({ block: "nearest" });
  }

  #setState(id, state, seq, reason) {
    const li = this.elements.get(id);
    if (!li) return;
    if (seq) li.dataset.seq = seq;
    li.dataset.state = state;
    const status = li.querySelector(".msg-state");
    if (!status) return;
    status.textContent = reason ? `${this.t[state]}: ${reason}` : this.t[state];
    if (state === "failed" && !li.querySelector("button")) {
      const retry = document.createElement("button");
      retry.type = "button";
      retry.className = "link-button";
      retry.textContent = this.t.retry;
      retry.addEventListener("click", () => {
        const body = li.querySelector(".msg-body").textContent;
        li.remove();
        this.elements.delete(id);
        this.input.value = body;
        this.input.focus();
      });
      li.append(" ", retry);
    }
  }

  #markRead(seq) {
    for (const li of this.log.querySelectorAll(".msg-own[data-state=sent]")) {
      if (Number(li.dataset.seq) <= seq) {
        li.dataset.state = "delivered";
        li.querySelector(".msg-state").textContent = this.t.delivered;
      }
    }
  }

  #showTyping(from) {
    if (!this.typing) return;
    this.typing.textContent = this.t.typing.replace("{name}", from.name);
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => (this.typing.textContent = ""), 6000);
  }

  /** Tells the other side what this screen has shown (at most once a second). */
  markShown() {
    if (!this.synced || this.timeline.last <= (this.readSent ?? 0)) return;
    clearTimeout(this.readTimer);
    this.readTimer = setTimeout(() => {
      if (this.client().send({ t: "read", c: this.c, seq: this.timeline.last })) this.readSent = this.timeline.last;
    }, 1000);
  }

  close() {
    this.closed = true;
    if (this.form) for (const el of this.form.elements) el.disabled = true;
  }
}

/** A coaching file's download path (`CoachingService.filePath`), exactly. */
const downloadPattern = /^\/api\/coaching\/files\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\?c=[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Whether a room's `seen` frame says someone besides me has read up to its
 * seq: `count` readers, `you` whether I am one of them. A frame without
 * `you` (a server from before it) is sure only of more than one reader.
 */
export function othersHaveRead(frame) {
  const me = frame.you === false ? 0 : 1;
  return frame.count - me > 0;
}

/** Whether a whole line of a message is a coaching file's download path. */
export function isDownloadPath(line) {
  return typeof line === "string" && downloadPattern.test(line);
}

/**
 * A message body in parts: plain text, and a line that is exactly a
 * download path as its own link part. Nothing else becomes a link.
 * @returns {{text: string, link?: string}[]}
 */
export function bodyParts(body) {
  const parts = [];
  const lines = String(body).split("\n");
  lines.forEach((line, i) => {
    const end = i < lines.length - 1 ? "\n" : "";
    if (isDownloadPath(line)) {
      parts.push({ text: line, link: line });
      if (end) parts.push({ text: end });
    } else if (parts.length && !parts.at(-1).link) {
      parts.at(-1).text += line + end;
    } else {
      parts.push({ text: line + end });
    }
  });
  return parts.filter((p) => p.link || p.text);
}

/** Puts a body into the element with DOM nodes only (text, and links for download paths). */
export function fillBody(element, body) {
  const doc = element.ownerDocument;
  element.replaceChildren(
    ...bodyParts(body).map((p) => {
      if (!p.link) return doc.createTextNode(p.text);
      const a = doc.createElement("a");
      a.href = p.link;
      a.textContent = p.text;
      return a;
    }),
  );
}

/** data-t-foo="…" attributes of an element as {foo: "…"}. */
export function textsOf(element) {
  const texts = {};
  for (const [key, value] of Object.entries(element.dataset)) {
    if (key.startsWith("t") && key.length > 1) texts[key[1].toLowerCase() + key.slice(2)] = value;
  }
  return texts;
}
