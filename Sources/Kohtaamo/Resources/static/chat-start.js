// Starting a support chat from its service page. Without JavaScript the form
// posts, the browser follows the redirect to the chat's page, and only that
// page opens the socket: on a phone line (400 ms a round trip) about 2.3 s.
// With it, the start goes to the JSON API (docs/protocol.md); as soon as it
// answers, with the client's token cookie, the socket opens and the chat's
// page is fetched side by side; the page's content takes this one's place,
// the address becomes the chat's and chat.js, fetched while the person read
// this page, takes the open socket over (`takeEarlySocket` in realtime.js).
// Anything but a started chat sends the form as before, so what the person
// sees then (a nickname's error, closed, too many starts) is the same as
// without JavaScript.

/**
 * Posts the start, opens the socket when the chat exists, and fetches the
 * chat's page meanwhile. Null when no chat was started (the form is then
 * sent); otherwise the chat's address and its page (null when it could not
 * be fetched: the browser then goes to the address).
 * @param {object} o
 * @param {string} o.api the JSON API's start, `/api/support/{service}/chats`
 * @param {string} o.nickname
 * @param {typeof fetch} o.fetch
 * @param {() => void} o.openSocket
 * @returns {Promise<{url: string, html: string|null}|null>}
 */
export async function startChat({ api, nickname, fetch, openSocket }) {
  let conversation;
  try {
    const answer = await fetch(api, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ nickname }),
      credentials: "same-origin",
    });
    if (answer.status !== 201) return null;
    ({ conversation } = await answer.json());
  } catch {
    return null;
  }
  if (typeof conversation !== "string" || !/^[0-9a-f-]{36}$/.test(conversation)) return null;
  const url = `/chat/${conversation}`;
  openSocket();
  try {
    const page = await fetch(url, { credentials: "same-origin" });
    return { url, html: page.ok ? await page.text() : null };
  } catch {
    return { url, html: null };
  }
}

/**
 * Opens the tab's socket as the chat page's head does (`EarlySocket.swift`),
 * keeping what arrives until `RealtimeClient` takes it over.
 */
export function openEarlySocket() {
  try {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const early = { frames: [], closed: false, ws: new WebSocket(`${scheme}//${location.host}/socket`) };
    early.ws.onmessage = (m) => early.frames.push(m.data);
    early.ws.onclose = () => {
      early.closed = true;
    };
    globalThis.kohtaamoEarlySocket = early;
  } catch {
    // No socket now: RealtimeClient opens its own.
  }
}

/** Puts the chat's page in place of this one, at the chat's address. */
async function showChat(url, html) {
  const doc = new DOMParser().parseFromString(html, "text/html");
  // Parsed without scripting, a <noscript> holds elements: the notices for
  // browsers without JavaScript have no place in this page.
  for (const n of doc.querySelectorAll("noscript")) n.remove();
  history.pushState(null, "", url);
  document.title = doc.title;
  document.body.replaceChildren(...doc.body.childNodes);
  await import("./chat.js");
  // The chat's heading, as a page's start: it is read out with the page's
  // name, and the queue's place follows. (Not the message box: the call
  // panel leaves the focus alone while someone may be typing.)
  const heading = document.querySelector("main h1");
  heading?.setAttribute("tabindex", "-1");
  heading?.focus();
}

/**
 * Fetches the chat's modules at most `limit` at a time. A browser keeps six
 * connections to a server; with all of them busy fetching modules, the start
 * itself would wait for one (measured: 0.4 s on a phone line).
 * @param {string[]} urls
 * @param {number} limit
 * @param {(url: string) => Promise<void>} load resolves when that one is in (or failed)
 */
export async function preloadModules(urls, limit, load) {
  const queue = [...urls];
  const next = async () => {
    while (queue.length > 0) await load(queue.shift());
  };
  await Promise.all(Array.from({ length: Math.min(limit, queue.length) }, next));
}

const form = document.querySelector("form[data-chat-start]");
if (form) {
  // The chat's address and this page's are one document's history entries
  // (even after a reload): back or forward loads what the address shows, as
  // after the form's redirect.
  addEventListener("popstate", () => location.reload());

  // The chat's modules, fetched once the page is there (not before: they
  // would hold up the page the person came to read).
  const modulepreload = (href) =>
    new Promise((resolve) => {
      const link = document.createElement("link");
      link.rel = "modulepreload";
      link.href = href;
      link.onload = link.onerror = () => resolve();
      document.head.append(link);
    });
  const preload = () => preloadModules((form.dataset.modules ?? "").split(" ").filter(Boolean), 3, modulepreload);
  if (document.readyState === "complete") preload();
  else addEventListener("load", preload, { once: true });

  let busy = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return;
    busy = true;
    form.querySelector("button[type=submit]")?.setAttribute("aria-disabled", "true");
    const started = await startChat({
      api: form.dataset.api,
      nickname: form.elements.nickname?.value ?? "",
      fetch: globalThis.fetch.bind(globalThis),
      openSocket: openEarlySocket,
    });
    if (!started) form.submit();
    else if (started.html === null) location.assign(started.url);
    else await showChat(started.url, started.html);
  });
}
