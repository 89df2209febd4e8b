// Voice and video calls inside a conversation: a support chat or coaching
// thread (kind "pair") or a group room (kind "group"). The server keeps the
// call's state and relays WebRTC signalling over the page's one socket
// (`call` and `signal` frames); media goes peer to peer, one
// RTCPeerConnection per other member (a mesh of at most six). Whoever joins
// sends an offer to every member already in the call; members answer.
//
// The pure parts (the state reducer, who offers to whom, which text to say,
// reading getStats) are exported and tested with `node --test tests/js`.
// Every name people chose is put into the page as text, never as HTML.

/** "{name} is calling" with {name} filled in; unknown {keys} stay. */
export function fill(text, vars = {}) {
  return String(text ?? "").replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}

export const initialState = Object.freeze({ phase: "idle", call: null, media: null, by: null, members: [], minutes: null, lastCall: null });

const inCall = (s) => s.phase === "in-call";

/**
 * The call as this page sees it, after one `call` frame.
 * Phases: idle, incoming (a call I am not in), joining (my start or join is
 * on its way), in-call, ended, removed.
 * @param {object} state the state before
 * @param {object} f a `call` frame (CONTRACT.md)
 * @param {string|null} me my identity ("staff:<uuid>", "client:<uuid>"), when known
 */
export function reduceCall(state, f, me) {
  if (f?.t !== "call") return state;
  const ours = f.call === state.call;
  const who = f.who?.identity;
  switch (f.state) {
    case "ringing":
      if (state.phase === "joining" || inCall(state)) return state; // mine, or I am busy in this one
      if (me && f.by?.identity === me) return state;
      return { ...initialState, phase: "incoming", call: f.call, media: f.media, by: f.by, members: f.by ? [member(f.by)] : [] };
    case "joined":
      if (!ours || state.members.some((m) => m.identity === who)) return state;
      return { ...state, members: [...state.members, member(f.who, f.media)] };
    case "left":
    case "declined":
      if (!ours) return state;
      return { ...state, members: state.members.filter((m) => m.identity !== who) };
    case "removed":
      if (!ours) return state;
      if (me && who === me) return { ...initialState, phase: "removed", lastCall: f.call };
      return { ...state, members: state.members.filter((m) => m.identity !== who) };
    case "ended":
      if (!ours && f.call !== state.lastCall) return state;
      if (state.phase === "idle") return state;
      return { ...initialState, phase: "ended", minutes: f.minutes ?? state.minutes, lastCall: f.call };
    case "hand":
      if (!ours) return state;
      return { ...state, members: state.members.map((m) => (m.identity === who ? { ...m, hand: !!f.raised } : m)) };
    case "media":
      if (!ours) return state;
      return { ...state, members: state.members.map((m) => (m.identity === who ? { ...m, audio: !!f.audio, video: !!f.video } : m)) };
    default:
      return state;
  }
}

function member(p, media) {
  return { identity: p.identity, name: p.name, role: p.role, hand: false, audio: true, video: media !== "audio" };
}

/** The state once my start or join has been answered with a CallState. */
export function joinedState(callState) {
  return {
    ...initialState,
    phase: "in-call",
    call: callState.id,
    media: callState.media,
    by: callState.by,
    members: (callState.members ?? []).map((m) => ({ hand: false, audio: true, video: false, ...m })),
  };
}

/** Whom I send offers to after joining: every other member already in the call. */
export function offerTargets(members, me) {
  return members.filter((m) => m.identity !== me).map((m) => m.identity);
}

/**
 * My identity in a call: the server's `me` when it says it, else the starter
 * when I started, else the one member who is not among the conversation's
 * other participants (`/api/conversations/{id}/peers`).
 */
export function identifyMe(callState, peers, started = false) {
  if (callState?.me) return typeof callState.me === "string" ? callState.me : callState.me.identity;
  if (started && callState?.by) return callState.by.identity;
  const others = new Set((peers ?? []).map((p) => p.identity));
  const left = (callState?.members ?? []).filter((m) => !others.has(m.identity));
  return left.length === 1 ? left[0].identity : null;
}

/** What the live region says after a frame (null: nothing). */
export function announcement(f, me, t, kind = "pair") {
  if (f?.t !== "call") return null;
  const name = (p) => p?.name ?? "";
  const mine = (p) => me && p?.identity === me;
  switch (f.state) {
    case "ringing":
      return mine(f.by) ? null : fill(kind === "group" ? t.callOn : t.callingYou, { name: name(f.by) });
    case "joined":
      return mine(f.who) ? null : fill(t.joined, { name: name(f.who) });
    case "left":
      return mine(f.who) ? null : fill(t.left, { name: name(f.who) });
    case "declined":
      return mine(f.who) ? null : fill(t.declined, { name: name(f.who) });
    case "ended":
      return f.minutes ? fill(t.ended, { min: f.minutes }) : t.endedNone ?? fill(t.ended, { min: 0 });
    case "hand":
      return f.raised && !mine(f.who) ? fill(t.handUp, { name: name(f.who) }) : null;
    case "mute_all":
      return mine(f.by) ? null : fill(t.mutedBy, { name: name(f.by) });
    case "removed":
      return mine(f.who) ? t.removedMe : fill(t.removed, { name: name(f.who) });
    default:
      return null;
  }
}

/** The text for a refused start or join, and whether to offer the large-meeting link. */
export function refusal(code, t, info = {}) {
  switch (code) {
    case "call_full":
      return { text: fill(t.full, { n: info.limit ?? 6 }), meeting: !!info.meeting };
    case "not_allowed":
    case "not_participant":
    case "removed_from_call":
    case "forbidden":
      return { text: code === "removed_from_call" ? t.removedMe : t.notAllowed, meeting: false };
    case "call_ended":
      return { text: t.endedNone ?? fill(t.ended, { min: 0 }), meeting: false };
    default:
      return { text: t.failed, meeting: false };
  }
}

/** Labels of the start/answer buttons for this kind of call. */
export function answerTexts(kind, t) {
  return kind === "group"
    ? { audio: t.join, video: t.joinVideo, decline: null }
    : { audio: t.accept, video: t.acceptVideo, decline: t.decline };
}

/**
 * Whether a ringing call may take the focus: not while the person is typing
 * (in the composer or any other field).
 * @param {{tagName?: string, isContentEditable?: boolean, closest?: Function}|null} active document.activeElement
 */
export function mayTakeFocus(active) {
  if (!active || active.tagName === "BODY" || active.tagName === "HTML") return true;
  if (active.closest?.("[data-composer]")) return false;
  if (active.isContentEditable) return false;
  return !["TEXTAREA", "INPUT", "SELECT"].includes(active.tagName);
}

/**
 * Bytes sent and received per kind, and the selected candidate pair, from
 * the reports of one RTCPeerConnection's getStats() (as an array).
 */
export function statsSummary(reports) {
  const byId = new Map(reports.map((r) => [r.id, r]));
  const s = { audio: { sent: 0, received: 0 }, video: { sent: 0, received: 0 }, pair: null };
  for (const r of reports) {
    const kind = r.kind ?? r.mediaType;
    if (!s[kind] || kind === "pair") continue;
    if (r.type === "outbound-rtp") s[kind].sent += r.bytesSent ?? 0;
    if (r.type === "inbound-rtp") s[kind].received += r.bytesReceived ?? 0;
  }
  let pair = null;
  for (const r of reports) if (r.type === "transport" && r.selectedCandidatePairId) pair = byId.get(r.selectedCandidatePairId);
  pair ??= reports.find((r) => r.type === "candidate-pair" && r.nominated && r.state === "succeeded");
  if (pair) {
    const local = byId.get(pair.localCandidateId)?.candidateType ?? null;
    const remote = byId.get(pair.remoteCandidateId)?.candidateType ?? null;
    s.pair = { local, remote, relay: local === "relay" || remote === "relay" };
  }
  return s;
}

/** JSON over fetch: {ok, status, data}; never throws. */
export async function jsonRequest(path, { method = "GET", body } = {}) {
  try {
    const init = { method, headers: { Accept: "application/json" } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const r = await fetch(path, init);
    const data = r.status === 204 ? null : await r.json().catch(() => null);
    return { ok: r.ok, status: r.status, data };
  } catch {
    return { ok: false, status: 0, data: null };
  }
}

/** data-t-foo="…" attributes as {foo: "…"} (as conversation.js's textsOf). */
function textsOf(element) {
  const texts = {};
  for (const [key, value] of Object.entries(element.dataset)) {
    if (key.startsWith("t") && key.length > 1) texts[key[1].toLowerCase() + key.slice(2)] = value;
  }
  return texts;
}

let figures = 0;

/** The call section of one conversation (templates/call_panel.mustache). */
export class CallPanel {
  /**
   * @param {object} o
   * @param {HTMLElement} o.root the [data-call] section
   * @param {string} o.c conversation id
   * @param {"pair"|"group"} [o.kind]
   * @param {object} [o.texts] localised strings (default: the root's data-t-* attributes)
   * @param {() => import("./realtime.js").RealtimeClient} o.client the page's socket
   * @param {typeof jsonRequest} [o.request]
   */
  constructor({ root, c, kind = "pair", texts, client, request = jsonRequest }) {
    this.root = root;
    this.c = c;
    this.kind = kind;
    this.t = texts ?? textsOf(root);
    this.client = client;
    this.request = request;
    this.state = initialState;
    this.info = { call: null, limit: 6, canStart: false, moderator: false, meeting: false };
    this.ice = null;
    this.me = null;
    this.stream = null;
    this.peers = new Map(); // identity -> {pc, name, pending, chain, figure}
    this.queued = []; // signals that came while joining
    this.hand = false;
    this.closed = false;
    const q = (name) => root.querySelector(`[data-call-${name}]`);
    this.el = {
      status: q("status"),
      note: q("note"),
      idle: q("idle"),
      start: q("start"),
      startAudio: q("start-audio"),
      startVideo: q("start-video"),
      incoming: q("incoming"),
      who: q("who"),
      accept: q("accept"),
      acceptVideo: q("accept-video"),
      decline: q("decline"),
      active: q("active"),
      videos: q("videos"),
      members: q("members"),
      mic: q("mic"),
      camera: q("camera"),
      handButton: q("hand"),
      muteAll: q("mute-all"),
      hangUp: q("hang-up"),
      limit: q("limit"),
      heading: root.querySelector("h2, h3, h4"),
    };
    this.el.startAudio?.addEventListener("click", () => this.start("audio"));
    this.el.startVideo?.addEventListener("click", () => this.start("video"));
    this.el.accept?.addEventListener("click", () => this.join("audio"));
    this.el.acceptVideo?.addEventListener("click", () => this.join("video"));
    this.el.decline?.addEventListener("click", () => this.decline());
    this.el.mic?.addEventListener("click", () => this.setMic(!this.micOn()));
    this.el.camera?.addEventListener("click", () => this.setCamera(!this.cameraOn()));
    this.el.handButton?.addEventListener("click", () => this.raiseHand(!this.hand));
    this.el.muteAll?.addEventListener("click", () => this.muteAll());
    this.el.hangUp?.addEventListener("click", () => this.hangUp());
    // Closing or leaving the page hangs up, so the others drop the connection
    // at once and the place is free (keepalive: the request outlives the page).
    globalThis.addEventListener?.("pagehide", () => {
      if (!inCall(this.state)) return;
      fetch(`/api/calls/${encodeURIComponent(this.state.call)}/leave`, { method: "POST", keepalive: true }).catch(() => {});
    });
    for (const el of root.querySelectorAll("[data-call-js]")) el.hidden = false;
    for (const el of root.querySelectorAll("[data-call-nojs]")) el.hidden = true;
    globalThis.kohtaamoCalls ??= new Map();
    globalThis.kohtaamoCalls.set(c, this);
    globalThis.kohtaamoCall = this;
    this.render();
  }

  /** Reads the call's state and the ICE servers from the server. */
  async init() {
    await Promise.all([this.refresh(), this.#loadIce()]);
  }

  async refresh() {
    const r = await this.request(`/api/calls?c=${encodeURIComponent(this.c)}`);
    if (!r.ok || !r.data) return;
    this.info = { ...this.info, ...r.data };
    const call = r.data.call;
    if (call && ["idle", "ended", "removed"].includes(this.state.phase) && call.id !== this.state.lastCall) {
      const started = { t: "call", c: this.c, call: call.id, state: "ringing", media: call.media, by: call.by };
      this.state = reduceCall(this.state, started, this.me);
      this.state = { ...this.state, members: call.members ?? this.state.members };
    } else if (!call && this.state.phase === "incoming") {
      this.state = initialState;
    }
    this.render();
  }

  async #loadIce() {
    const r = await this.request(`/api/calls/ice?c=${encodeURIComponent(this.c)}`);
    if (r.ok && r.data) this.ice = r.data;
    this.render();
    return this.ice;
  }

  /** A frame for this conversation: `call`, `signal`, or `synced` (a reconnect). */
  handle(f) {
    if (f.c && f.c !== this.c) return;
    if (f.t === "signal") return this.#onSignal(f);
    if (f.t === "synced") {
      if (!inCall(this.state) && this.state.phase !== "joining") this.refresh();
      return;
    }
    if (f.t !== "call") return;
    const before = this.state;
    this.state = reduceCall(before, f, this.me);
    const who = f.who?.identity;
    if (inCall(before) && (f.state === "left" || f.state === "removed" || f.state === "declined") && who !== this.me) this.#closePeer(who);
    if (inCall(before) && !inCall(this.state)) this.#teardown();
    if (f.state === "mute_all" && inCall(this.state) && f.by?.identity !== this.me && this.micOn()) this.setMic(false);
    if (f.state === "ringing" && this.state.phase === "incoming" && before.phase !== "incoming") this.#ring();
    const text = announcement(f, this.me, this.t, this.kind);
    this.render();
    if (text) this.say(text);
  }

  /** The chat closed, or the person is out of the room: no more calls here. */
  close(text) {
    this.closed = true;
    if (inCall(this.state)) this.hangUp();
    this.state = { ...initialState, phase: "ended", lastCall: this.state.call ?? this.state.lastCall };
    this.render();
    if (text) this.say(text);
  }

  say(text) {
    if (this.el.status) this.el.status.textContent = text;
  }

  #note(text, meeting = false) {
    const note = this.el.note;
    if (!note) return;
    note.replaceChildren();
    note.hidden = !text;
    if (!text) return;
    note.append(document.createTextNode(text));
    if (meeting) {
      const a = document.createElement("a");
      a.href = `/calls/meeting?c=${encodeURIComponent(this.c)}`;
      a.textContent = this.t.meeting;
      note.append(" ", a);
    }
  }

  #ring() {
    if (this.kind !== "pair") return; // a room's call does not ring: the Join buttons wait
    const target = this.el.accept;
    queueMicrotask(() => {
      if (target && !target.hidden && mayTakeFocus(document.activeElement)) target.focus();
    });
  }

  async #media(media) {
    try {
      return await navigator.mediaDevices.getUserMedia({ audio: true, video: media === "video" });
    } catch {
      if (media === "video") {
        try {
          return await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
        } catch {
          // fall through
        }
      }
      return null;
    }
  }

  /** Starts a call (staff in a support chat, members in a room). */
  async start(media) {
    if (this.state.phase === "joining" || inCall(this.state) || this.closed) return;
    this.state = { ...initialState, phase: "joining", lastCall: this.state.lastCall };
    this.render();
    const stream = await this.#media(media);
    if (!stream) return this.#failed(this.t.noMedia);
    const [r] = await Promise.all([this.request("/api/calls", { method: "POST", body: { conversation: this.c, media } }), this.#loadIce()]);
    if (!r.ok) {
      stream.getTracks().forEach((track) => track.stop());
      if (r.data?.code === "call_active") {
        this.state = initialState;
        await this.refresh();
        return;
      }
      const { text, meeting } = refusal(r.data?.code, this.t, this.info);
      return this.#failed(text, meeting);
    }
    this.me = identifyMe(r.data, null, true);
    this.#enter(r.data, stream);
    this.say(this.kind === "pair" ? this.t.calling : this.t.started);
  }

  /** Accepts a ringing call, or joins a room's call. */
  async join(media) {
    if (this.state.phase !== "incoming" || this.closed) return;
    const call = this.state.call;
    const waiting = this.state;
    this.state = { ...this.state, phase: "joining" };
    this.render();
    const stream = await this.#media(media);
    if (!stream) {
      this.state = waiting;
      return this.#failed(this.t.noMedia, false, waiting);
    }
    const [r, peers] = await Promise.all([
      this.request(`/api/calls/${encodeURIComponent(call)}/join`, { method: "POST", body: { media } }),
      this.request(`/api/conversations/${encodeURIComponent(this.c)}/peers`),
      this.#loadIce(),
    ]);
    if (!r.ok) {
      stream.getTracks().forEach((track) => track.stop());
      const { text, meeting } = refusal(r.data?.code, this.t, this.info);
      const after = r.data?.code === "call_full" ? waiting : { ...initialState, phase: "ended", lastCall: call };
      return this.#failed(text, meeting, after);
    }
    this.me = identifyMe(r.data, peers.ok ? peers.data : [], false);
    this.#enter(r.data, stream);
    this.say(this.t.started);
    for (const identity of offerTargets(this.state.members, this.me)) this.#offer(identity);
  }

  async decline() {
    if (this.state.phase !== "incoming") return;
    const call = this.state.call;
    this.state = { ...initialState, phase: "ended", lastCall: call };
    this.render();
    this.#focusAfter();
    await this.request(`/api/calls/${encodeURIComponent(call)}/decline`, { method: "POST" });
  }

  async hangUp() {
    if (!inCall(this.state)) return;
    const call = this.state.call;
    this.#teardown();
    this.state = { ...initialState, phase: "ended", lastCall: call };
    this.render();
    this.say(this.t.leftMe);
    this.#focusAfter();
    await this.request(`/api/calls/${encodeURIComponent(call)}/leave`, { method: "POST" });
  }

  micOn() {
    return this.stream?.getAudioTracks().some((track) => track.enabled) ?? false;
  }

  cameraOn() {
    return this.stream?.getVideoTracks().some((track) => track.enabled) ?? false;
  }

  setMic(on) {
    for (const track of this.stream?.getAudioTracks() ?? []) track.enabled = on;
    this.#mediaChanged();
  }

  setCamera(on) {
    for (const track of this.stream?.getVideoTracks() ?? []) track.enabled = on;
    this.#mediaChanged();
  }

  #mediaChanged() {
    this.render();
    if (!inCall(this.state)) return;
    this.request(`/api/calls/${encodeURIComponent(this.state.call)}/media`, {
      method: "POST",
      body: { audio: this.micOn(), video: this.cameraOn() },
    });
  }

  async raiseHand(raised) {
    if (!inCall(this.state)) return;
    this.hand = raised;
    this.render();
    await this.request(`/api/calls/${encodeURIComponent(this.state.call)}/hand`, { method: "POST", body: { raised } });
  }

  async muteAll() {
    if (!inCall(this.state)) return;
    const r = await this.request(`/api/calls/${encodeURIComponent(this.state.call)}/mute-all`, { method: "POST" });
    this.say(r.ok ? this.t.mutedAll : this.t.failed);
  }

  async remove(identity) {
    if (!inCall(this.state)) return;
    const r = await this.request(`/api/calls/${encodeURIComponent(this.state.call)}/remove`, { method: "POST", body: { identity } });
    if (!r.ok) this.say(this.t.failed);
  }

  /** getStats() of every peer connection, summarised: {identity: statsSummary}. */
  async stats() {
    const out = {};
    for (const [identity, p] of this.peers) out[identity] = statsSummary([...(await p.pc.getStats()).values()]);
    return out;
  }

  // ------------------------------------------------------------ internals

  #failed(text, meeting = false, state = { ...initialState, lastCall: this.state.lastCall }) {
    this.state = state;
    this.render();
    this.#note(text, meeting);
    this.say(text);
  }

  #enter(callState, stream) {
    this.stream = stream;
    this.hand = false;
    this.state = joinedState(callState);
    this.#note(this.#relayNote());
    this.#showLocal();
    this.render();
    globalThis.kohtaamoCall = this;
    this.el.mic?.focus();
    const queued = this.queued.splice(0);
    for (const f of queued) this.#onSignal(f);
  }

  #relayNote() {
    return this.ice && this.ice.relay === false ? this.t.noRelay : "";
  }

  #focusAfter() {
    if (typeof document === "undefined") return;
    queueMicrotask(() => {
      if (this.root.contains(document.activeElement) && document.activeElement.offsetParent !== null) return;
      if (document.activeElement && document.activeElement !== document.body && !this.root.contains(document.activeElement)) return;
      const start = this.el.startVideo;
      if (start && !start.closest("[hidden]")) start.focus();
      else if (this.el.heading) {
        this.el.heading.tabIndex = -1;
        this.el.heading.focus();
      }
    });
  }

  #send(to, data) {
    this.client()?.send({ t: "signal", c: this.c, to, data: { call: this.state.call, ...data } });
  }

  #peer(identity, offerer) {
    let p = this.peers.get(identity);
    if (p) return p;
    const policy = globalThis.kohtaamoCallOptions?.iceTransportPolicy;
    const config = { iceServers: this.ice?.iceServers ?? [] };
    if (policy) config.iceTransportPolicy = policy;
    const pc = new RTCPeerConnection(config);
    const name = this.state.members.find((m) => m.identity === identity)?.name ?? "";
    p = { identity, pc, name, pending: [], chain: Promise.resolve(), figure: null };
    this.peers.set(identity, p);
    pc.onicecandidate = (e) => {
      if (e.candidate) this.#send(identity, { type: "candidate", candidate: e.candidate.toJSON() });
    };
    pc.ontrack = (e) => this.#showRemote(p, e.streams[0] ?? new MediaStream([e.track]));
    if (offerer) {
      this.#addTracks(pc);
      // Receive what the other sends even when this side sends no video.
      if (!this.stream.getVideoTracks().length) pc.addTransceiver("video", { direction: "recvonly" });
      if (!this.stream.getAudioTracks().length) pc.addTransceiver("audio", { direction: "recvonly" });
    }
    return p;
  }

  #addTracks(pc) {
    for (const track of this.stream?.getTracks() ?? []) pc.addTrack(track, this.stream);
  }

  #queue(p, step) {
    p.chain = p.chain.then(step).catch(() => {});
    return p.chain;
  }

  #offer(identity) {
    const p = this.#peer(identity, true);
    this.#queue(p, async () => {
      await p.pc.setLocalDescription(await p.pc.createOffer());
      this.#send(identity, { type: "offer", sdp: p.pc.localDescription.sdp });
    });
  }

  #onSignal(f) {
    const d = f.data;
    if (!d || typeof d !== "object") return;
    if (this.state.phase === "joining") {
      this.queued.push(f);
      return;
    }
    if (!inCall(this.state) || d.call !== this.state.call) return;
    const from = f.from;
    if (d.type === "bye") return this.#closePeer(from);
    if (d.type === "offer") {
      const p = this.#peer(from, false);
      if (!p.name && f.name) p.name = f.name;
      this.#queue(p, async () => {
        await p.pc.setRemoteDescription({ type: "offer", sdp: d.sdp });
        if (!p.pc.getSenders().some((s) => s.track)) this.#addTracks(p.pc);
        await this.#flushCandidates(p);
        await p.pc.setLocalDescription(await p.pc.createAnswer());
        this.#send(from, { type: "answer", sdp: p.pc.localDescription.sdp });
      });
      return;
    }
    const p = this.peers.get(from);
    if (!p) return;
    if (d.type === "answer") {
      this.#queue(p, async () => {
        await p.pc.setRemoteDescription({ type: "answer", sdp: d.sdp });
        await this.#flushCandidates(p);
      });
    } else if (d.type === "candidate" && d.candidate) {
      this.#queue(p, async () => {
        if (p.pc.remoteDescription) await p.pc.addIceCandidate(d.candidate);
        else p.pending.push(d.candidate);
      });
    }
  }

  async #flushCandidates(p) {
    for (const candidate of p.pending.splice(0)) await p.pc.addIceCandidate(candidate).catch(() => {});
  }

  #closePeer(identity) {
    const p = this.peers.get(identity);
    if (!p) return;
    p.pc.close();
    p.figure?.remove();
    this.peers.delete(identity);
  }

  #teardown() {
    for (const identity of [...this.peers.keys()]) this.#closePeer(identity);
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = null;
    this.queued = [];
    this.el.videos?.replaceChildren();
  }

  #figure(label, stream, muted) {
    if (!this.el.videos) return null;
    const figure = document.createElement("figure");
    figure.className = "call-video";
    const video = document.createElement("video");
    video.autoplay = true;
    video.playsInline = true;
    video.muted = muted;
    video.srcObject = stream;
    const caption = document.createElement("figcaption");
    caption.id = `call-video-${++figures}`;
    caption.textContent = label;
    video.setAttribute("aria-labelledby", caption.id);
    figure.append(video, caption);
    this.el.videos.append(figure);
    return figure;
  }

  #showLocal() {
    if (!this.stream) return;
    const figure = this.#figure(this.t.you, this.stream, true);
    if (figure) figure.dataset.self = "";
  }

  #showRemote(p, stream) {
    if (p.figure) {
      const video = p.figure.querySelector("video");
      if (video.srcObject !== stream) video.srcObject = stream;
      return;
    }
    const name = p.name || this.state.members.find((m) => m.identity === p.identity)?.name || "";
    p.figure = this.#figure(fill(this.t.videoOf, { name }), stream, false);
    if (p.figure) p.figure.dataset.identity = p.identity;
  }

  render() {
    const { el, t, state, info } = this;
    const phase = state.phase;
    const calling = inCall(state);
    const show = (node, on) => {
      if (node) node.hidden = !on;
    };
    const idle = phase === "idle" || phase === "ended"; // removed: out of this call, nothing to press
    show(el.start, idle && info.canStart && !this.closed);
    show(el.idle, idle && !info.canStart && !this.closed);
    if (el.idle) el.idle.textContent = this.kind === "group" ? t.idleGroup : t.idlePair;
    show(el.incoming, phase === "incoming" || (phase === "joining" && state.call && !calling && state.by && this.me !== state.by.identity));
    show(el.active, calling);
    if (el.startAudio) el.startAudio.disabled = phase === "joining";
    if (el.startVideo) el.startVideo.disabled = phase === "joining";
    if (phase === "incoming" || phase === "joining") {
      const texts = answerTexts(this.kind, t);
      if (el.accept) {
        el.accept.textContent = texts.audio;
        el.accept.disabled = phase === "joining";
      }
      if (el.acceptVideo) {
        el.acceptVideo.textContent = texts.video;
        el.acceptVideo.disabled = phase === "joining";
      }
      show(el.decline, !!texts.decline);
      if (el.who && state.by) el.who.textContent = fill(this.kind === "group" ? t.callOn : t.callingYou, { name: state.by.name });
    }
    if (calling) {
      const hasAudio = !!this.stream?.getAudioTracks().length;
      const hasVideo = !!this.stream?.getVideoTracks().length;
      show(el.mic, hasAudio);
      show(el.camera, hasVideo);
      if (el.mic) {
        el.mic.textContent = this.micOn() ? t.micOff : t.micOn;
        el.mic.dataset.on = String(this.micOn());
      }
      if (el.camera) {
        el.camera.textContent = this.cameraOn() ? t.cameraOff : t.cameraOn;
        el.camera.dataset.on = String(this.cameraOn());
      }
      if (el.handButton) {
        el.handButton.textContent = this.hand ? t.handLower : t.handRaise;
        el.handButton.dataset.raised = String(this.hand);
      }
      show(el.muteAll, !!info.moderator && state.members.length > 1);
      this.#renderMembers();
    } else if (el.members) {
      el.members.replaceChildren();
    }
    this.#renderLimit(phase !== "removed" && !this.closed);
    if (!calling && phase !== "joining") {
      const relay = this.#relayNote();
      if (phase === "idle" && el.note && !el.note.childElementCount) this.#note(relay);
    }
  }

  /** A room's call: how many fit, and the large meeting's link when there is one. */
  #renderLimit(on) {
    const el = this.el.limit;
    if (!el) return;
    el.hidden = !(on && this.kind === "group");
    if (el.hidden) return;
    const text = fill(this.t.limit, { n: this.info.limit ?? 6 });
    if (el.dataset.shown === `${text}|${!!this.info.meeting}`) return;
    el.dataset.shown = `${text}|${!!this.info.meeting}`;
    el.replaceChildren(text);
    if (this.info.meeting) {
      const a = document.createElement("a");
      a.href = `/calls/meeting?c=${encodeURIComponent(this.c)}`;
      a.textContent = this.t.meeting;
      el.append(" ", a);
    }
  }

  #renderMembers() {
    const { el, t, state, info } = this;
    if (!el.members) return;
    el.members.replaceChildren(
      ...state.members.map((m) => {
        const li = document.createElement("li");
        li.dataset.identity = m.identity;
        const self = m.identity === this.me;
        const marks = [];
        const micOff = self ? !this.micOn() : m.audio === false;
        const camOff = self ? !!this.stream?.getVideoTracks().length && !this.cameraOn() : m.video === false && state.media === "video";
        if (micOff) marks.push(t.micIsOff);
        if (camOff) marks.push(t.camIsOff);
        if (self ? this.hand : m.hand) marks.push(t.handIsUp);
        li.textContent = self ? `${m.name} (${t.you})` : m.name;
        if (marks.length) li.append(`: ${marks.join(", ")}`);
        li.dataset.audio = String(!micOff);
        if (info.moderator && !self) {
          const b = document.createElement("button");
          b.type = "button";
          b.className = "link-button";
          b.textContent = fill(t.remove, { name: m.name });
          b.addEventListener("click", () => this.remove(m.identity));
          li.append(" ", b);
        }
        return li;
      }),
    );
  }
}
