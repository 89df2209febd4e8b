import { test } from "node:test";
import assert from "node:assert/strict";
import { outcomeBody, stateOf, textKey, PendingOutcome } from "../../Sources/Kohtaamo/Resources/static/reachout.js";

test("the state after the day's outcomes is the server's", () => {
  assert.equal(stateOf([]), "open");
  assert.equal(stateOf(["no_answer"]), "try_again");
  assert.equal(stateOf(["no_answer", "left_message"]), "message_left");
  assert.equal(stateOf(["left_message", "no_answer"]), "try_again");
  assert.equal(stateOf(["no_answer", "reached"]), "reached");
  assert.equal(stateOf(["reached", "no_answer"]), "reached");
  assert.equal(stateOf(["referral"]), "reached");
  assert.equal(stateOf(["declined"]), "reached");
});

test("the body leaves out an empty note and a referral not asked for", () => {
  assert.deepEqual(outcomeBody({ id: "a", day: "2026-11-24", outcome: "no_answer", note: "  ", referral: "x" }), {
    id: "a",
    day: "2026-11-24",
    outcome: "no_answer",
  });
  assert.deepEqual(outcomeBody({ id: "a", day: "2026-11-24", outcome: "referral", note: " hei ", referral: "card" }), {
    id: "a",
    day: "2026-11-24",
    outcome: "referral",
    note: "hei",
    referral: "card",
  });
});

test("a press repeated after it failed keeps its id; a settled or different one gets a new id", () => {
  let n = 0;
  const pending = new PendingOutcome(() => `id-${++n}`);
  const press = { day: "2026-11-24", outcome: "reached" };
  assert.equal(pending.idFor(press), "id-1");
  assert.equal(pending.idFor({ ...press }), "id-1");
  assert.equal(pending.idFor({ ...press, note: "x" }), "id-2");
  pending.settle();
  assert.equal(pending.idFor({ ...press, note: "x" }), "id-3");
});

test("catalogue codes become script text names", () => {
  assert.equal(textKey("no_answer"), "noAnswer");
  assert.equal(textKey("message_left"), "messageLeft");
  assert.equal(textKey("reached"), "reached");
});
