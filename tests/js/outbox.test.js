import { test } from "node:test";
import assert from "node:assert/strict";
import { Outbox, Timeline, backoff, newId, clearAllOutboxes } from "../../Sources/Kohtaamo/Resources/static/outbox.js";

class MemoryStorage {
  constructor() { this.map = new Map(); }
  get length() { return this.map.size; }
  key(i) { return [...this.map.keys()][i] ?? null; }
  getItem(k) { return this.map.has(k) ? this.map.get(k) : null; }
  setItem(k, v) { this.map.set(k, String(v)); }
  removeItem(k) { this.map.delete(k); }
}

test("an unacked message survives a reload and keeps its id", () => {
  const storage = new MemoryStorage();
  let n = 0;
  const box = new Outbox("c1", storage, () => `id-${++n}`);
  const item = box.add("hei");
  const reloaded = new Outbox("c1", storage);
  assert.deepEqual(reloaded.pending().map((m) => [m.id, m.body]), [[item.id, "hei"]]);
  reloaded.acked(item.id);
  assert.equal(new Outbox("c1", storage).pending().length, 0);
  assert.equal(storage.getItem("kohtaamo.outbox.c1"), null, "nothing left behind once acked");
});

test("outboxes are per conversation and leave-quickly clears them all", () => {
  const storage = new MemoryStorage();
  storage.setItem("other", "keep");
  new Outbox("a", storage).add("1");
  new Outbox("b", storage).add("2");
  clearAllOutboxes(storage);
  assert.equal(storage.length, 1);
  assert.equal(storage.getItem("other"), "keep");
});

test("damaged storage gives an empty outbox, not an error", () => {
  const storage = new MemoryStorage();
  storage.setItem("kohtaamo.outbox.x", "{not json");
  assert.deepEqual(new Outbox("x", storage).pending(), []);
});

test("the timeline ignores a seq it has and orders the rest", () => {
  const t = new Timeline();
  assert.equal(t.add({ seq: 2, body: "b" }), true);
  assert.equal(t.hasGap(), true);
  assert.equal(t.add({ seq: 1, body: "a" }), true);
  assert.equal(t.add({ seq: 1, body: "again" }), false);
  assert.equal(t.hasGap(), false);
  assert.equal(t.last, 2);
  assert.deepEqual(t.messages().map((m) => m.body), ["a", "b"]);
  assert.equal(t.add({ seq: 0 }), false);
  assert.equal(t.add({ seq: "3" }), false);
});

test("backoff grows, is jittered and stays within 30 s", () => {
  assert.equal(backoff(0, () => 0), 250);
  assert.equal(backoff(0, () => 1), 500);
  assert.ok(backoff(3, () => 0.5) > backoff(1, () => 0.5));
  assert.equal(backoff(50, () => 1), 30_000);
  assert.equal(backoff(50, () => 0), 15_000);
});

test("ids are UUIDs even without randomUUID", () => {
  const id = newId({ getRandomValues: (a) => a.fill(7) });
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});
