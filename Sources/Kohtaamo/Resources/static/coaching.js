// A coaching thread (the coach's page of a coachee, the coachee's own page):
// the shared conversation view on the realtime socket, plus a line that
// says when a task changed (the tasks themselves are the page's, without
// JavaScript), and the call: coach and coachee may each call the other (at
// an appointment's time, one click). Every text people wrote is put into
// the page as text.
import { lazyCallPanel } from "./call-loader.js";
import { RealtimeClient } from "./realtime.js";
import { ConversationView, textsOf } from "./conversation.js";
import { setupQuickExit } from "./quick-exit.js";

setupQuickExit();

const root = document.querySelector("[data-coaching-thread]");
if (root) {
  const t = textsOf(root);
  const c = root.dataset.conversation;
  const connection = document.getElementById("connection");
  const status = document.getElementById("thread-status");
  const composer = root.querySelector("[data-composer]");
  let client;
  const callRoot = root.querySelector("[data-call]");
  const call = callRoot ? lazyCallPanel({ root: callRoot, c, kind: root.dataset.callKind === "group" ? "group" : "pair", client: () => client }) : null;
  const view = new ConversationView(root, c, t, () => client, document.getElementById("announcer"));
  const showRead = () => {
    if (document.visibilityState === "visible") view.markShown();
  };
  view.onIncoming = showRead;
  document.addEventListener("visibilitychange", showRead);

  /** A task was given, answered or got feedback: offer the fresh page (no reload under the reader's hands). */
  function taskChanged() {
    const link = document.createElement("a");
    link.href = location.pathname + "#tasks";
    link.textContent = t.tasksChanged;
    link.addEventListener("click", (e) => {
      e.preventDefault();
      location.reload();
    });
    status.replaceChildren(link);
  }

  client = new RealtimeClient({
    positions: () => [view.position()],
    onState: (state) => {
      if (state === "online") call?.load();
      connection.textContent = t[state];
      connection.dataset.state = state;
    },
    onFrame: (f) => {
      if (f.t === "coaching_task") return taskChanged();
      if (f.c && f.c !== c) return;
      if (f.t === "call" || f.t === "signal") return call?.handle(f);
      view.handle(f);
      if (f.t === "synced") {
        composer.hidden = !("canSend" in root.dataset);
        showRead();
        call?.handle(f);
      }
    },
  });
  client.start();
  if ("canSend" in root.dataset) call?.init();
}
