// The message log of one conversation and the outbox of messages not yet
// acknowledged. Pure logic (no DOM, no socket) so that node --test checks it.
//
// Guarantees it keeps on the client side of PROTOCOL.md: a message the user
// wrote stays in local storage until the server acks it (also across a
// reload); a retry reuses the same id, so it is never stored twice; the log
// is ordered by seq and ignores a seq it already has.

const PREFIX = "kohtaamo.outbox.";

export function newId(crypto = globalThis.crypto) {
  if (crypto && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  // Old browsers: RFC 4122 version 4 from getRandomValues.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export class Outbox {
  /** @param {Storage} storage localStorage, or anything with getItem/setItem/removeItem */
  constructor(conversation, storage, makeId = newId) {
    this.key = PREFIX + conversation;
    this.storage = storage;
    this.makeId = makeId;
    this.items = this.#load();
  }

  #load() {
    try {
      const list = JSON.parse(this.storage.getItem(this.key) || "[]");
      return Array.isArray(list) ? list.filter((m) => m && typeof m.id === "string" && typeof m.body === "string") : [];
    } catch {
      return [];
    }
  }

  #save() {
    try {
      if (this.items.length) this.storage.setItem(this.key, JSON.stringify(this.items));
      else this.storage.removeItem(this.key);
    } catch {
      // Storage full or blocked: the message still lives in memory.
    }
  }

  /** A new message to send; kept until acked. */
  add(body) {
    const item = { id: this.makeId(), body, at: Date.now() };
    this.items.push(item);
    this.#save();
    return item;
  }

  /** The server stored it: forget it. Returns the item, if it was here. */
  acked(id) {
    const item = this.items.find((m) => m.id === id);
    this.items = this.items.filter((m) => m.id !== id);
    this.#save();
    return item;
  }

  /** Refused for good (not a retry case): drop it. */
  drop(id) {
    return this.acked(id);
  }

  pending() {
    return [...this.items];
  }

  clear() {
    this.items = [];
    this.#save();
  }
}

/** Removes every outbox this browser keeps (leave quickly). */
export function clearAllOutboxes(storage) {
  const keys = [];
  for (let i = 0; i < storage.length; i++) {
    const k = storage.key(i);
    if (k && k.startsWith(PREFIX)) keys.push(k);
  }
  keys.forEach((k) => storage.removeItem(k));
}

/** Stored messages by seq: duplicates ignored, order kept, gaps visible. */
export class Timeline {
  constructor() {
    this.bySeq = new Map();
    this.last = 0; // highest seq with no gap below it
  }

  /** Adds a msg frame; returns false if that seq was already here. */
  add(msg) {
    if (!Number.isInteger(msg.seq) || msg.seq < 1 || this.bySeq.has(msg.seq)) return false;
    this.bySeq.set(msg.seq, msg);
    while (this.bySeq.has(this.last + 1)) this.last += 1;
    return true;
  }

  /** True when a seq above `last` is missing: time to sync. */
  hasGap() {
    for (const seq of this.bySeq.keys()) if (seq > this.last) return true;
    return false;
  }

  messages() {
    return [...this.bySeq.values()].sort((a, b) => a.seq - b.seq);
  }
}

/** Delay before reconnect attempt n (0, 1, 2…): exponential with full jitter, 0.5 s … 30 s. */
export function backoff(attempt, random = Math.random) {
  const cap = Math.min(30_000, 500 * 2 ** Math.min(attempt, 16));
  return Math.round(cap / 2 + random() * (cap / 2));
}
