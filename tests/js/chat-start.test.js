import { test } from "node:test";
import assert from "node:assert/strict";

globalThis.document = { querySelector: () => null };
const { startChat, preloadModules } = await import("../../Sources/Kohtaamo/Resources/static/chat-start.js");

const ID = "0b6f1c9e-3d2a-4f5b-8c7d-1e2f3a4b5c6d";

// A server as far as the start uses it: answers by address, and logs what
// happened in which order (the socket among the requests).
function server(answers) {
  const log = [];
  const fetch = async (url, init = {}) => {
    log.push(`${init.method ?? "GET"} ${url}`);
    const a = answers[url];
    if (a instanceof Error) throw a;
    return { status: a.status, ok: a.status >= 200 && a.status < 300, json: async () => a.json, text: async () => a.text };
  };
  return { log, fetch, openSocket: () => log.push("socket") };
}

test("a started chat: the socket opens as soon as the start answers, before the chat's page is fetched", async () => {
  const s = server({
    "/api/support/tukichat/chats": { status: 201, json: { conversation: ID, position: 1 } },
    [`/chat/${ID}`]: { status: 200, text: "<main>chat</main>" },
  });
  const started = await startChat({ api: "/api/support/tukichat/chats", nickname: "Kettu", ...s });
  assert.deepEqual(started, { url: `/chat/${ID}`, html: "<main>chat</main>" });
  assert.deepEqual(s.log, ["POST /api/support/tukichat/chats", "socket", `GET /chat/${ID}`]);
});

test("the nickname goes to the API as JSON", async () => {
  let sent;
  const fetch = async (url, init) => {
    sent = init;
    return { status: 400, json: async () => ({ error: "bad_nickname" }) };
  };
  assert.equal(await startChat({ api: "/a", nickname: "Kettu", fetch, openSocket() {} }), null);
  assert.equal(sent.headers["content-type"], "application/json");
  assert.deepEqual(JSON.parse(sent.body), { nickname: "Kettu" });
});

test("no chat started (refused, closed, offline, an odd answer): null, so the form is sent, and no socket", async () => {
  for (const answer of [
    { status: 400, json: { error: "bad_nickname" } },
    { status: 409, json: { error: "closed" } },
    { status: 429, json: { error: "rate_limited" } },
    new TypeError("Failed to fetch"),
    { status: 201, json: { conversation: "../../admin" } },
    { status: 201, json: {} },
  ]) {
    const s = server({ "/a": answer });
    assert.equal(await startChat({ api: "/a", nickname: "", ...s }), null);
    assert.deepEqual(s.log, ["POST /a"]);
  }
});

test("the chat started but its page could not be fetched: its address, for the browser to go to", async () => {
  for (const page of [new TypeError("Failed to fetch"), { status: 502, text: "" }]) {
    const s = server({ "/a": { status: 201, json: { conversation: ID } }, [`/chat/${ID}`]: page });
    assert.deepEqual(await startChat({ api: "/a", nickname: "", ...s }), { url: `/chat/${ID}`, html: null });
  }
});

test("modules are fetched at most `limit` at a time, all of them, in order", async () => {
  let inFlight = 0;
  let most = 0;
  const started = [];
  const load = async (url) => {
    started.push(url);
    inFlight += 1;
    most = Math.max(most, inFlight);
    await new Promise((r) => setTimeout(r, 5));
    inFlight -= 1;
  };
  await preloadModules(["a", "b", "c", "d", "e", "f", "g"], 3, load);
  assert.equal(most, 3);
  assert.deepEqual(started, ["a", "b", "c", "d", "e", "f", "g"]);
  await preloadModules([], 3, load);
});
