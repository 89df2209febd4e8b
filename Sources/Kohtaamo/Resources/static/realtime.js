// The one WebSocket of a tab (PROTOCOL.md): reconnects with backoff and
// jitter, and after every (re)connect asks each conversation for what it
// missed with `sync` before anything else is sent.
import { backoff } from "./outbox.js";

export class RealtimeClient {
  /**
   * @param {object} o
   * @param {() => Array<{c: string, after: number}>} o.positions where each conversation's log ends
   * @param {(frame: object) => void} o.onFrame every frame from the server
   * @param {(state: "connecting"|"online"|"offline") => void} o.onState
   */
  constructor({ positions, onFrame, onState, url = defaultURL() }) {
    this.positions = positions;
    this.onFrame = onFrame;
    this.onState = onState;
    this.url = url;
    this.attempt = 0;
    this.ws = null;
    this.stopped = false;
  }

  start() {
    this.stopped = false;
    this.#connect();
    // A phone waking up or a network coming back: try at once. When the
    // browser knows the network is gone, the socket is dropped at once, so
    // what is written meanwhile waits in the outbox.
    globalThis.addEventListener?.("online", () => this.reconnectNow());
    globalThis.addEventListener?.("offline", () => this.ws?.close());
    document?.addEventListener?.("visibilitychange", () => {
      if (document.visibilityState === "visible" && !this.isOpen()) this.reconnectNow();
    });
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.ws?.close();
  }

  isOpen() {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** Sends a frame if connected; false otherwise (the caller keeps it). */
  send(frame) {
    if (!this.isOpen()) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  /** Asks one conversation for what it has after `after`. */
  sync(c, after) {
    return this.send({ t: "sync", c, after });
  }

  reconnectNow() {
    if (this.stopped || this.isOpen()) return;
    clearTimeout(this.timer);
    this.attempt = 0;
    this.#connect();
  }

  #connect() {
    this.onState("connecting");
    let ws;
    const early = takeEarlySocket(this.url);
    try {
      ws = early?.ws ?? new WebSocket(this.url);
    } catch {
      this.#retry();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.onState("online");
      for (const { c, after } of this.positions()) this.sync(c, after);
    };
    ws.onmessage = (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      this.onFrame(frame);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.onState("offline");
      this.#retry();
    };
    // The page's socket opened while this module was on its way: it is
    // open now as if just opened (sync first), then what came meanwhile.
    if (early && ws.readyState === WebSocket.OPEN) {
      ws.onopen();
      for (const data of early.frames) ws.onmessage({ data });
    }
  }

  #retry() {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.#connect(), backoff(this.attempt++));
  }
}

/**
 * The socket the page's inline script opened before the modules came
 * (`EarlySocket.swift`): on a phone line that saves a round trip or two.
 * Taken once; a closed one, or one to another address, is not used.
 */
export function takeEarlySocket(url) {
  const early = globalThis.kohtaamoEarlySocket;
  if (!early) return null;
  delete globalThis.kohtaamoEarlySocket;
  if (early.closed || early.ws.url !== url || early.ws.readyState > WebSocket.OPEN) {
    try {
      early.ws.close();
    } catch {
      // already closed
    }
    return null;
  }
  return early;
}

function defaultURL() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/socket`;
}
