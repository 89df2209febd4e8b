import { test } from "node:test";
import assert from "node:assert/strict";

// A browser's WebSocket, as far as RealtimeClient uses it.
class FakeSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;
  static made = [];
  constructor(url) {
    this.url = url;
    this.readyState = FakeSocket.CONNECTING;
    this.sent = [];
    FakeSocket.made.push(this);
  }
  send(data) { this.sent.push(JSON.parse(data)); }
  close() { this.readyState = FakeSocket.CLOSED; }
}
globalThis.WebSocket = FakeSocket;
globalThis.document = { addEventListener() {}, visibilityState: "visible" };
globalThis.location = { protocol: "http:", host: "kohtaamo.test" };
const { RealtimeClient } = await import("../../Sources/Kohtaamo/Resources/static/realtime.js");

const URL = "ws://kohtaamo.test/socket";

function client(log) {
  return new RealtimeClient({
    positions: () => [{ c: "c1", after: 4 }],
    onFrame: (f) => log.push(["frame", f.t]),
    onState: (s) => log.push(["state", s]),
    url: URL,
  });
}

test("the page's early socket is taken over: sync first, then what arrived meanwhile, in order", () => {
  FakeSocket.made = [];
  const ws = new FakeSocket(URL);
  ws.readyState = FakeSocket.OPEN;
  globalThis.kohtaamoEarlySocket = { ws, frames: ['{"t":"hello"}', '{"t":"position"}'], closed: false };
  const log = [];
  const c = client(log);
  c.start();
  assert.equal(FakeSocket.made.length, 1, "no second socket");
  assert.deepEqual(ws.sent, [{ t: "sync", c: "c1", after: 4 }]);
  assert.deepEqual(log, [["state", "connecting"], ["state", "online"], ["frame", "hello"], ["frame", "position"]]);
  assert.equal(globalThis.kohtaamoEarlySocket, undefined, "taken once");
  ws.onmessage({ data: '{"t":"msg"}' });
  assert.deepEqual(log.at(-1), ["frame", "msg"]);
  c.stop();
});

test("an early socket still opening is used when it opens", () => {
  FakeSocket.made = [];
  const ws = new FakeSocket(URL);
  globalThis.kohtaamoEarlySocket = { ws, frames: [], closed: false };
  const log = [];
  const c = client(log);
  c.start();
  assert.equal(FakeSocket.made.length, 1);
  assert.deepEqual(log, [["state", "connecting"]]);
  ws.readyState = FakeSocket.OPEN;
  ws.onopen();
  assert.deepEqual(ws.sent, [{ t: "sync", c: "c1", after: 4 }]);
  c.stop();
});

test("a closed early socket, or one to another address, is not used", () => {
  for (const early of [
    { ws: Object.assign(new FakeSocket(URL), { readyState: FakeSocket.CLOSED }), frames: [], closed: true },
    { ws: new FakeSocket("ws://elsewhere.test/socket"), frames: ['{"t":"hello"}'], closed: false },
  ]) {
    FakeSocket.made = [];
    globalThis.kohtaamoEarlySocket = early;
    const log = [];
    const c = client(log);
    c.start();
    assert.equal(FakeSocket.made.length, 1, "a new socket");
    assert.notEqual(FakeSocket.made[0], early.ws);
    assert.equal(early.ws.readyState, FakeSocket.CLOSED);
    assert.ok(!log.some(([kind]) => kind === "frame"), "nothing from the unused socket");
    c.stop();
  }
});
