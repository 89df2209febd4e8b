import { test } from "node:test";
import assert from "node:assert/strict";
import { bodyParts, isDownloadPath, othersHaveRead } from "../../Sources/Kohtaamo/Resources/static/conversation.js";

const file = "0f8fad5b-d9cb-469f-a165-70867728950e";
const thread = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
const path = `/api/coaching/files/${file}?c=${thread}`;

test("a line that is exactly a coaching download path is a link", () => {
  assert.equal(isDownloadPath(path), true);
  assert.deepEqual(bodyParts(`📎 plan.pdf\n${path}`), [{ text: "📎 plan.pdf\n" }, { text: path, link: path }]);
});

test("nothing else becomes a link", () => {
  for (const line of [
    `${path} `,
    ` ${path}`,
    `${path}&x=1`,
    `https://evil.example${path}`,
    `/api/coaching/files/${file}?c=javascript:alert(1)`,
    `/api/coaching/files/../../admin?c=${thread}`,
    `/api/coaching/files/${file.toUpperCase()}?c=${thread}`,
    `see ${path}`,
    `<a href="${path}">x</a>`,
    "javascript:alert(1)",
  ]) {
    assert.equal(isDownloadPath(line), false, line);
    assert.ok(bodyParts(line).every((p) => !p.link), line);
  }
  assert.deepEqual(bodyParts("hei\nmoi"), [{ text: "hei\nmoi" }]);
  assert.deepEqual(bodyParts(`${path}\nok`), [{ text: path, link: path }, { text: "\nok" }]);
});

test("a room's seen frame marks my messages read when anyone but me has read them", () => {
  // The first reader, while I (the sender) have not read my own message.
  assert.equal(othersHaveRead({ t: "seen", seq: 5, count: 1, you: false }), true);
  assert.equal(othersHaveRead({ t: "seen", seq: 5, count: 1, you: true }), false, "only I have read it");
  assert.equal(othersHaveRead({ t: "seen", seq: 5, count: 2, you: true }), true);
  assert.equal(othersHaveRead({ t: "seen", seq: 5, count: 0, you: false }), false);
  // A server without `you`: only more than one reader is sure.
  assert.equal(othersHaveRead({ t: "seen", seq: 5, count: 1 }), false);
  assert.equal(othersHaveRead({ t: "seen", seq: 5, count: 2 }), true);
});
