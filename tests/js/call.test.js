import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CallPanel,
  announcement,
  answerTexts,
  fill,
  identifyMe,
  initialState,
  joinedState,
  mayTakeFocus,
  offerTargets,
  reduceCall,
  refusal,
  statsSummary,
} from "../../Sources/Kohtaamo/Resources/static/call.js";

const anna = { identity: "staff:a", name: "Anna", role: "worker" };
const mustikka = { identity: "client:m", name: "Mustikka", role: "client" };
const pihlaja = { identity: "client:p", name: "Pihlaja", role: "client" };
const frame = (state, extra = {}) => ({ t: "call", c: "c1", call: "k1", state, ...extra });
const t = {
  callingYou: "{name} is calling you.", callOn: "{name} started a call.", joined: "{name} joined the call.",
  left: "{name} left the call.", declined: "{name} declined the call.", ended: "Call ended, {min} min.",
  handUp: "{name} raised a hand.", mutedBy: "{name} muted everyone.", removedMe: "You were removed from the call.",
  removed: "{name} was removed from the call.", full: "Up to {n} people fit in a call.", notAllowed: "You cannot join this call.",
  failed: "The call did not work.", accept: "Accept", acceptVideo: "Accept with video", decline: "Decline",
  join: "Join the call", joinVideo: "Join with video", started: "Call started.", calling: "Calling.",
};

test("fill puts values in and leaves unknown keys", () => {
  assert.equal(fill("{name} soittaa, {min} min", { name: "Anna", min: 12 }), "Anna soittaa, 12 min");
  assert.equal(fill("{x} stays", {}), "{x} stays");
  assert.equal(fill(undefined), "");
});

test("a call rings for the others, not for the one who started it", () => {
  const ringing = frame("ringing", { media: "video", by: anna });
  const s = reduceCall(initialState, ringing, "client:m");
  assert.equal(s.phase, "incoming");
  assert.equal(s.call, "k1");
  assert.equal(s.media, "video");
  assert.deepEqual(s.members.map((m) => m.identity), ["staff:a"]);
  assert.equal(reduceCall(initialState, ringing, "staff:a"), initialState, "the starter's own echo");
  const busy = { ...joinedState({ id: "k0", media: "audio", by: pihlaja, members: [pihlaja] }) };
  assert.equal(reduceCall(busy, ringing, null), busy, "in another call: no ring");
  const joining = { ...initialState, phase: "joining" };
  assert.equal(reduceCall(joining, ringing, null), joining, "my own start, before its answer");
});

test("members come and go; hands and media are tracked; frames of another call change nothing", () => {
  let s = joinedState({ id: "k1", media: "video", by: anna, members: [{ ...anna, audio: true, video: true, hand: false }] });
  assert.equal(s.phase, "in-call");
  s = reduceCall(s, frame("joined", { who: mustikka }), "staff:a");
  s = reduceCall(s, frame("joined", { who: mustikka }), "staff:a");
  assert.deepEqual(s.members.map((m) => m.name), ["Anna", "Mustikka"], "a repeated joined adds no one");
  s = reduceCall(s, frame("hand", { who: mustikka, raised: true }), "staff:a");
  assert.equal(s.members[1].hand, true);
  s = reduceCall(s, frame("media", { who: mustikka, audio: false, video: true }), "staff:a");
  assert.deepEqual([s.members[1].audio, s.members[1].video], [false, true]);
  const other = { ...frame("left", { who: mustikka }), call: "k9" };
  assert.equal(reduceCall(s, other, "staff:a"), s);
  s = reduceCall(s, frame("left", { who: mustikka }), "staff:a");
  assert.deepEqual(s.members.map((m) => m.name), ["Anna"]);
});

test("ended: over for everyone with its minutes, also after I hung up", () => {
  const s = joinedState({ id: "k1", media: "audio", by: anna, members: [anna, mustikka] });
  const ended = reduceCall(s, frame("ended", { minutes: 12 }), "staff:a");
  assert.deepEqual([ended.phase, ended.minutes, ended.call, ended.lastCall], ["ended", 12, null, "k1"]);
  const hungUp = { ...initialState, phase: "ended", lastCall: "k1" };
  assert.equal(reduceCall(hungUp, frame("ended", { minutes: 3 }), "staff:a").minutes, 3);
  assert.equal(reduceCall(initialState, frame("ended", { minutes: 3 }), "staff:a"), initialState, "a call I never saw");
  const ringing = reduceCall(initialState, frame("ringing", { media: "video", by: anna }), "client:m");
  assert.equal(reduceCall(ringing, frame("ended", { minutes: 0 }), "client:m").phase, "ended", "caller gave up");
});

test("removed: me out of the call, or another member gone", () => {
  const s = joinedState({ id: "k1", media: "audio", by: anna, members: [anna, mustikka, pihlaja] });
  assert.equal(reduceCall(s, frame("removed", { who: pihlaja }), "client:p").phase, "removed");
  const after = reduceCall(s, frame("removed", { who: pihlaja }), "client:m");
  assert.deepEqual(after.members.map((m) => m.name), ["Anna", "Mustikka"]);
});

test("the joiner offers to every member already in the call, never to itself", () => {
  const members = [anna, mustikka, pihlaja];
  assert.deepEqual(offerTargets(members, "client:p"), ["staff:a", "client:m"]);
  assert.deepEqual(offerTargets([pihlaja], "client:p"), [], "the starter waits for offers");
});

test("my identity: the server's me, the starter, or the member who is not a peer", () => {
  const call = { id: "k1", by: anna, members: [anna, mustikka] };
  assert.equal(identifyMe({ ...call, me: "client:m" }, []), "client:m");
  assert.equal(identifyMe(call, null, true), "staff:a");
  assert.equal(identifyMe(call, [anna]), "client:m");
  assert.equal(identifyMe(call, []), null, "cannot tell");
});

test("what the live region says", () => {
  assert.equal(announcement(frame("ringing", { by: anna }), "client:m", t), "Anna is calling you.");
  assert.equal(announcement(frame("ringing", { by: anna }), "client:m", t, "group"), "Anna started a call.");
  assert.equal(announcement(frame("ringing", { by: anna }), "staff:a", t), null);
  assert.equal(announcement(frame("joined", { who: mustikka }), "staff:a", t), "Mustikka joined the call.");
  assert.equal(announcement(frame("declined", { who: mustikka }), "staff:a", t), "Mustikka declined the call.");
  assert.equal(announcement(frame("ended", { minutes: 12 }), "staff:a", t), "Call ended, 12 min.");
  assert.equal(announcement(frame("ended", { minutes: 0 }), "staff:a", { ...t, endedNone: "The call ended." }), "The call ended.", "nobody answered");
  assert.equal(announcement(frame("hand", { who: mustikka, raised: true }), "staff:a", t), "Mustikka raised a hand.");
  assert.equal(announcement(frame("hand", { who: mustikka, raised: false }), "staff:a", t), null);
  assert.equal(announcement(frame("mute_all", { by: anna }), "client:m", t), "Anna muted everyone.");
  assert.equal(announcement(frame("mute_all", { by: anna }), "staff:a", t), null);
  assert.equal(announcement(frame("removed", { who: mustikka }), "client:m", t), "You were removed from the call.");
  assert.equal(announcement({ t: "msg" }, null, t), null);
});

test("a refused join says why; a full call offers the meeting link when there is one", () => {
  assert.deepEqual(refusal("call_full", t, { limit: 6, meeting: true }), { text: "Up to 6 people fit in a call.", meeting: true });
  assert.deepEqual(refusal("call_full", t, { limit: 6, meeting: false }).meeting, false);
  assert.equal(refusal("not_participant", t).text, "You cannot join this call.");
  assert.equal(refusal("removed_from_call", t).text, "You were removed from the call.");
  assert.equal(refusal("something_new", t).text, "The call did not work.");
});

test("answer buttons: accept and decline a 1:1 call, join a room's", () => {
  assert.deepEqual(answerTexts("pair", t), { audio: "Accept", video: "Accept with video", decline: "Decline" });
  assert.deepEqual(answerTexts("group", t), { audio: "Join the call", video: "Join with video", decline: null });
});

test("a ringing call does not take the focus from someone typing", () => {
  const el = (tagName, composer = false, extra = {}) => ({ tagName, closest: (s) => (composer && s === "[data-composer]" ? {} : null), ...extra });
  assert.equal(mayTakeFocus(null), true);
  assert.equal(mayTakeFocus(el("BODY")), true);
  assert.equal(mayTakeFocus(el("BUTTON")), true);
  assert.equal(mayTakeFocus(el("A")), true);
  assert.equal(mayTakeFocus(el("TEXTAREA", true)), false);
  assert.equal(mayTakeFocus(el("BUTTON", true)), false, "the composer's send button");
  assert.equal(mayTakeFocus(el("INPUT")), false);
  assert.equal(mayTakeFocus(el("DIV", false, { isContentEditable: true })), false);
});

test("getStats: bytes per kind both ways, and whether the chosen pair is relayed", () => {
  const reports = [
    { id: "o1", type: "outbound-rtp", kind: "audio", bytesSent: 100 },
    { id: "o2", type: "outbound-rtp", kind: "video", bytesSent: 5000 },
    { id: "i1", type: "inbound-rtp", kind: "audio", bytesReceived: 90 },
    { id: "i2", type: "inbound-rtp", kind: "video", bytesReceived: 4000 },
    { id: "t", type: "transport", selectedCandidatePairId: "p2" },
    { id: "p1", type: "candidate-pair", nominated: true, state: "succeeded", localCandidateId: "l1", remoteCandidateId: "r1" },
    { id: "p2", type: "candidate-pair", nominated: true, state: "succeeded", localCandidateId: "l2", remoteCandidateId: "r1" },
    { id: "l1", type: "local-candidate", candidateType: "host" },
    { id: "l2", type: "local-candidate", candidateType: "relay" },
    { id: "r1", type: "remote-candidate", candidateType: "host" },
  ];
  const s = statsSummary(reports);
  assert.deepEqual(s.audio, { sent: 100, received: 90 });
  assert.deepEqual(s.video, { sent: 5000, received: 4000 });
  assert.deepEqual(s.pair, { local: "relay", remote: "host", relay: true });
  const noTransport = statsSummary(reports.filter((r) => r.type !== "transport"));
  assert.equal(noTransport.pair.relay, false, "the nominated pair when no transport names one");
  assert.equal(statsSummary([]).pair, null);
});

// --------------------------------------------------------------- the panel
// No DOM here: the panel's elements are all absent (it guards every one), and
// WebRTC is a fake that records what the panel does.

class FakeTrack {
  constructor(kind) { this.kind = kind; this.enabled = true; this.stopped = false; }
  stop() { this.stopped = true; }
}
class FakeStream {
  constructor(tracks) { this.tracks = tracks; }
  getTracks() { return this.tracks; }
  getAudioTracks() { return this.tracks.filter((x) => x.kind === "audio"); }
  getVideoTracks() { return this.tracks.filter((x) => x.kind === "video"); }
}
class FakePC {
  static made = [];
  constructor(config) { this.config = config; this.tracks = []; this.transceivers = []; this.remoteDescription = null; this.closed = false; FakePC.made.push(this); }
  addTrack(track) { this.tracks.push(track); return {}; }
  addTransceiver(kind, init) { this.transceivers.push([kind, init.direction]); }
  getSenders() { return this.tracks.map((track) => ({ track })); }
  async createOffer() { return { type: "offer", sdp: "offer-sdp" }; }
  async createAnswer() { return { type: "answer", sdp: "answer-sdp" }; }
  async setLocalDescription(d) { this.localDescription = d; }
  async setRemoteDescription(d) { this.remoteDescription = d; }
  async addIceCandidate(c) { (this.candidates ??= []).push(c); }
  async getStats() { return new Map([["o", { id: "o", type: "outbound-rtp", kind: "audio", bytesSent: 7 }]]); }
  close() { this.closed = true; }
}

function fakeRoot() {
  return { dataset: {}, querySelector: () => null, querySelectorAll: () => [], contains: () => false };
}

function setup({ answers, media = ["audio"] }) {
  FakePC.made = [];
  globalThis.RTCPeerConnection = FakePC;
  Object.defineProperty(globalThis, "navigator", {
    configurable: true,
    value: { mediaDevices: { getUserMedia: async (c) => new FakeStream([new FakeTrack("audio"), ...(c.video && media.includes("video") ? [new FakeTrack("video")] : [])]) } },
  });
  const sent = [];
  const requests = [];
  const request = async (path, init = {}) => {
    requests.push([init.method ?? "GET", path, init.body]);
    const a = answers[`${init.method ?? "GET"} ${path.split("?")[0]}`];
    return a ?? { ok: false, status: 404, data: { code: "not_found" } };
  };
  const panel = new CallPanel({ root: fakeRoot(), c: "c1", kind: "group", texts: t, client: () => ({ send: (f) => sent.push(f) }), request });
  return { panel, sent, requests };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

test("joining a room's call: an offer to each member already in it, over the page's socket", async () => {
  const callState = { id: "k1", media: "video", by: anna, members: [anna, mustikka, pihlaja] };
  const { panel, sent, requests } = setup({
    answers: {
      "GET /api/calls": { ok: true, data: { call: { ...callState, members: [anna, mustikka] }, limit: 6, canStart: true, moderator: false, meeting: false } },
      "GET /api/calls/ice": { ok: true, data: { iceServers: [{ urls: ["turn:127.0.0.1:3478"] }], ttl: 600, relay: true } },
      "POST /api/calls/k1/join": { ok: true, data: callState },
      "GET /api/conversations/c1/peers": { ok: true, data: [anna, mustikka] },
    },
  });
  globalThis.kohtaamoCallOptions = { iceTransportPolicy: "relay" };
  await panel.init();
  assert.equal(panel.state.phase, "incoming", "a call is on: join it");
  await panel.join("audio");
  assert.equal(panel.me, "client:p");
  assert.equal(panel.state.phase, "in-call");
  await settle();
  const offers = sent.filter((f) => f.t === "signal" && f.data.type === "offer");
  assert.deepEqual(offers.map((f) => f.to).sort(), ["client:m", "staff:a"]);
  assert.ok(offers.every((f) => f.c === "c1" && f.data.call === "k1" && f.data.sdp === "offer-sdp"));
  assert.equal(FakePC.made.length, 2);
  assert.equal(FakePC.made[0].config.iceTransportPolicy, "relay");
  assert.deepEqual(FakePC.made[0].config.iceServers, [{ urls: ["turn:127.0.0.1:3478"] }]);
  assert.deepEqual(FakePC.made[0].transceivers, [["video", "recvonly"]], "voice only, but sees the others' video");
  assert.deepEqual(requests.find((r) => r[1] === "/api/calls/k1/join")[2], { media: "audio" });

  // An answer and a candidate come back; then the moderator mutes all.
  panel.handle({ t: "signal", c: "c1", from: "staff:a", data: { call: "k1", type: "candidate", candidate: { candidate: "c" } } });
  panel.handle({ t: "signal", c: "c1", from: "staff:a", data: { call: "k1", type: "answer", sdp: "answer-sdp" } });
  await settle();
  const pc = FakePC.made[0];
  assert.equal(pc.remoteDescription.sdp, "answer-sdp");
  assert.deepEqual(pc.candidates, [{ candidate: "c" }]);
  assert.equal(panel.micOn(), true);
  panel.handle(frame("mute_all", { by: anna }));
  assert.equal(panel.micOn(), false);
  assert.deepEqual(requests.at(-1), ["POST", "/api/calls/k1/media", { audio: false, video: false }]);
  const stats = await panel.stats();
  assert.deepEqual(Object.keys(stats).sort(), ["client:m", "staff:a"]);
  assert.equal(stats["staff:a"].audio.sent, 7);

  // Another member leaves: only that connection closes. Then I hang up.
  panel.handle(frame("left", { who: mustikka }));
  assert.equal(FakePC.made[1].closed, true);
  assert.equal(pc.closed, false);
  await panel.hangUp();
  assert.equal(pc.closed, true);
  assert.equal(panel.state.phase, "ended");
  assert.deepEqual(requests.at(-1).slice(0, 2), ["POST", "/api/calls/k1/leave"]);
  delete globalThis.kohtaamoCallOptions;
});

test("the one who started answers an offer with its own tracks", async () => {
  const started = { id: "k1", media: "video", by: anna, members: [anna] };
  const { panel, sent } = setup({
    media: ["audio", "video"],
    answers: {
      "GET /api/calls/ice": { ok: true, data: { iceServers: [], ttl: 600, relay: false } },
      "POST /api/calls": { ok: true, status: 201, data: started },
    },
  });
  await panel.start("video");
  assert.equal(panel.me, "staff:a");
  assert.equal(panel.state.phase, "in-call");
  panel.handle(frame("joined", { who: mustikka }));
  panel.handle({ t: "signal", c: "c1", from: "client:m", name: "Mustikka", data: { call: "k1", type: "offer", sdp: "offer-sdp" } });
  await settle();
  const pc = FakePC.made[0];
  assert.equal(pc.remoteDescription.sdp, "offer-sdp");
  assert.deepEqual(pc.tracks.map((x) => x.kind), ["audio", "video"]);
  assert.equal(pc.transceivers.length, 0);
  const answer = sent.find((f) => f.data?.type === "answer");
  assert.equal(answer.to, "client:m");
  // A signal for another call, or another conversation, is ignored.
  panel.handle({ t: "signal", c: "c1", from: "client:x", data: { call: "k2", type: "offer", sdp: "x" } });
  panel.handle({ t: "signal", c: "c2", from: "client:x", data: { call: "k1", type: "offer", sdp: "x" } });
  await settle();
  assert.equal(FakePC.made.length, 1);
  // The call ends for everyone: connections closed, camera and microphone released.
  const tracks = panel.stream.getTracks();
  panel.handle(frame("ended", { minutes: 12 }));
  assert.equal(pc.closed, true);
  assert.ok(tracks.every((x) => x.stopped));
  assert.deepEqual([panel.state.phase, panel.state.minutes], ["ended", 12]);
});

test("a full call: the panel stays ready to join, and says how many fit", async () => {
  const { panel } = setup({
    answers: {
      "GET /api/calls": { ok: true, data: { call: { id: "k1", media: "audio", by: anna, members: [anna] }, limit: 6, canStart: true, moderator: false, meeting: true } },
      "POST /api/calls/k1/join": { ok: false, status: 409, data: { code: "call_full" } },
      "GET /api/conversations/c1/peers": { ok: true, data: [anna] },
    },
  });
  await panel.refresh();
  await panel.join("audio");
  assert.equal(panel.state.phase, "incoming");
  assert.equal(panel.peers.size, 0);
});
