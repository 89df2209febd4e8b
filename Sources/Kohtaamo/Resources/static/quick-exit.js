// Leave quickly: the button, or Esc twice, replaces the page with a neutral
// one (location.replace keeps the chat out of the tab's back history), after
// clearing what this site kept in the browser. /leave also ends the
// anonymous token on the way out.
import { clearAllOutboxes } from "./outbox.js";

export function setupQuickExit() {
  const link = document.querySelector("[data-quick-exit]");
  if (!link) return;
  const leave = (event) => {
    event?.preventDefault();
    try {
      clearAllOutboxes(localStorage);
      sessionStorage.clear();
    } catch {
      // Storage blocked: nothing was kept there either.
    }
    document.body.textContent = "";
    document.title = "";
    location.replace(link.href);
  };
  link.addEventListener("click", leave);
  let lastEscape = 0;
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const now = Date.now();
    if (now - lastEscape < 1500) leave(event);
    lastEscape = now;
  });
}
