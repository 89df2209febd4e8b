// Today's list of whom to contact (/reachout). Without JavaScript each
// button posts its form and the page comes back; with it, the same press
// posts JSON to POST /api/reachout/plans/{plan}/outcomes, the row's state
// changes in place, a live region says what was logged, and focus stays on
// the button pressed (or, when the plan ended, moves to the person's name).
// An outcome gets a fresh id (crypto.randomUUID); a press that failed on the
// way is retried with the same id, so it is never stored twice. Every text
// people wrote is put into the page as text (textContent), never as HTML.
import { newId } from "./outbox.js";
import { textsOf } from "./conversation.js";
import { setupQuickExit } from "./quick-exit.js";

/** The JSON body of one press: the note and the referral card only when given. */
export function outcomeBody({ id, day, outcome, note = "", referral = "" }) {
  const body = { id, day, outcome };
  const trimmed = note.trim();
  if (trimmed) body.note = trimmed;
  if (outcome === "referral" && referral) body.referral = referral;
  return body;
}

/** Where a contact stands after the day's outcomes (as DueContact.state on the server). */
export function stateOf(outcomes) {
  if (outcomes.some((k) => k === "reached" || k === "referral" || k === "declined")) return "reached";
  const last = outcomes[outcomes.length - 1];
  if (last === "no_answer") return "try_again";
  if (last === "left_message") return "message_left";
  return "open";
}

/** A catalogue key's script name: `no_answer` → `noAnswer` (as textsOf names data-t-no-answer). */
export function textKey(code) {
  return code.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
}

/**
 * The id of a press: the same as the last one when the same press is
 * repeated after it failed on the way (so the server keeps it once), else new.
 */
export class PendingOutcome {
  constructor(makeId = newId) {
    this.makeId = makeId;
    this.pending = null;
  }

  idFor(body) {
    const key = JSON.stringify({ ...body, id: undefined });
    if (this.pending && this.pending.key === key) return this.pending.id;
    this.pending = { key, id: this.makeId() };
    return this.pending.id;
  }

  /** The server answered (stored, or refused for good): the next press is new. */
  settle() {
    this.pending = null;
  }
}

function format(template, values) {
  return (template || "").replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));
}

function enhance(list) {
  const t = textsOf(list);
  const status = document.getElementById("reachout-status");
  const announce = (text) => {
    // A fresh node each time, so that the same words twice are read twice.
    const p = document.createElement("p");
    p.textContent = text;
    status.replaceChildren(p);
  };

  for (const row of list.querySelectorAll("li[data-plan]")) {
    const form = row.querySelector("form[data-outcome-form]");
    if (!form) continue;
    const plan = row.dataset.plan;
    const name = row.querySelector("[data-name]")?.textContent ?? "";
    const error = form.querySelector("[data-error]");
    const note = form.querySelector("textarea[name=note]");
    const referral = form.querySelector("select[name=referral]");
    const pending = new PendingOutcome();
    const kinds = [...row.querySelectorAll("[data-outcomes] [data-kind]")].map((li) => li.dataset.kind);
    let busy = false;

    const showError = (message, field) => {
      error.replaceChildren(message);
      error.hidden = false;
      form.querySelector("fieldset")?.classList.add("has-error");
      for (const f of [note, referral]) {
        if (!f) continue;
        if (f === field) {
          f.setAttribute("aria-invalid", "true");
          f.setAttribute("aria-describedby", `${f.id === referral?.id ? `referral-hint-${plan} ` : ""}error-${plan}`);
        } else {
          f.removeAttribute("aria-invalid");
        }
      }
      announce(message);
    };
    const clearError = () => {
      error.hidden = true;
      error.replaceChildren();
      form.querySelector("fieldset")?.classList.remove("has-error");
      note?.removeAttribute("aria-invalid");
      referral?.removeAttribute("aria-invalid");
    };

    form.addEventListener("submit", async (event) => {
      const button = event.submitter;
      if (!button || button.name !== "outcome") return;
      event.preventDefault();
      if (busy) return;
      busy = true;
      button.setAttribute("aria-disabled", "true");
      const body = outcomeBody({
        day: form.querySelector("input[name=day]").value,
        outcome: button.value,
        note: note?.value ?? "",
        referral: referral?.value ?? "",
      });
      body.id = pending.idFor(body);
      announce(t.sending);
      let response;
      try {
        response = await fetch(`/api/reachout/plans/${encodeURIComponent(plan)}/outcomes`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          credentials: "same-origin",
          body: JSON.stringify(body),
        });
      } catch {
        // Nothing came back: the next press of the same button sends the same id.
        busy = false;
        button.removeAttribute("aria-disabled");
        showError(t.failed, null);
        return;
      }
      busy = false;
      button.removeAttribute("aria-disabled");
      if (response.status >= 500) {
        showError(t.failed, null);
        return;
      }
      pending.settle();
      const answer = await response.json().catch(() => ({}));
      if (!response.ok) {
        const field = answer.code === "bad_note" ? note : answer.code === "bad_referral" ? referral : null;
        showError(answer.message || t.failed, field);
        field?.focus();
        return;
      }
      clearError();
      kinds.push(answer.outcome);
      const state = stateOf(kinds);
      row.dataset.state = state;
      row.querySelector("[data-state-text]").textContent = t[textKey(state)] ?? state;
      const item = document.createElement("li");
      item.dataset.kind = answer.outcome;
      const what = document.createElement("strong");
      what.textContent = t[textKey(answer.outcome)] ?? answer.outcome;
      item.append(what, ` – ${t.you}`);
      if (answer.note) {
        item.append(document.createElement("br"));
        const text = document.createElement("span");
        text.className = "card-body";
        text.textContent = answer.note;
        item.append(text);
      }
      row.querySelector("[data-outcomes]").append(item);
      row.querySelector("[data-outcomes-block]").hidden = false;
      if (note) note.value = "";
      let message = format(t.logged, { name, outcome: t[textKey(answer.outcome)] ?? answer.outcome });
      if (answer.outcome === "declined") {
        // The plan ended: no more buttons; focus goes to the person's name.
        message += " " + t.ended;
        for (const f of row.querySelectorAll("form")) f.remove();
        const ended = document.createElement("p");
        ended.className = "notice";
        ended.textContent = t.ended;
        row.append(ended);
        row.querySelector("h2")?.focus();
      }
      announce(message);
    });
  }
}

if (typeof document !== "undefined") {
  setupQuickExit();
  const list = document.querySelector("[data-reachout-list]");
  if (list) enhance(list);
}
