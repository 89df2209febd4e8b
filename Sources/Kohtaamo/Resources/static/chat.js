// The client's chat page. Without this script the page says what is needed
// and shows other ways to get help; with it, the chat runs live.
import { RealtimeClient } from "./realtime.js";
import { ConversationView, textsOf } from "./conversation.js";
import { setupQuickExit } from "./quick-exit.js";
import { lazyCallPanel } from "./call-loader.js";

setupQuickExit();

const root = document.querySelector("[data-chat]");
if (root) {
  const t = textsOf(root);
  const c = root.dataset.conversation;
  const status = document.getElementById("chat-status");
  const connection = document.getElementById("connection");
  const feedback = document.getElementById("feedback");
  let client;
  const view = new ConversationView(root, c, t, () => client, document.getElementById("announcer"));
  // Calls: the worker offers one; the client answers with voice or video.
  const callRoot = root.querySelector("[data-call]");
  const call = callRoot ? lazyCallPanel({ root: callRoot, c, kind: "pair", client: () => client }) : null;
  if (root.dataset.state === "closed") call?.close();
  root.querySelector("[data-composer]").hidden = root.dataset.state === "closed";
  if (root.dataset.state === "closed") view.close();

  const showRead = () => {
    if (document.visibilityState === "visible") view.markShown();
  };
  view.onIncoming = showRead;
  document.addEventListener("visibilitychange", showRead);

  // The status line from a `position` frame (docs/protocol.md §5): the same
  // texts the page is rendered with (ChatPagesController.waitText).
  const waitText = (f) => {
    const e = f.estimate;
    let text = t.waitNone;
    if (e === "soon") text = t.waitSoon;
    else if (e === "unknown") text = t.waitUnknown;
    else if (e && typeof e === "object") {
      text = (e.low > 0 ? t.waitRange : t.waitUnder).replace("{low}", e.low).replace("{high}", e.high);
    }
    return text.replace("{n}", f.position);
  };

  client = new RealtimeClient({
    positions: () => [view.position()],
    onState: (state) => {
      if (state === "online") call?.load();
      connection.textContent = t[state];
      connection.dataset.state = state;
    },
    onFrame: (f) => {
      if (f.c && f.c !== c) return;
      if (f.t === "call" || f.t === "signal") {
        call?.handle(f);
      } else if (f.t === "position") {
        status.textContent = waitText(f);
      } else if (f.t === "chat") {
        if (f.state === "active") status.textContent = t.workerHere.replace("{name}", f.worker.name);
        if (f.state === "waiting") status.textContent = t.backInQueue;
        if (f.state === "closed") {
          status.textContent = t.ended;
          view.close();
          call?.close();
          feedback.hidden = false;
        }
        if (f.state === "deleted") location.replace("/chat/deleted");
      } else {
        view.handle(f);
        if (f.t === "synced") {
          showRead();
          call?.handle(f);
        }
      }
    },
  });
  client.start();
  if (root.dataset.state !== "closed") call?.init();
}
