import { test } from "node:test";
import assert from "node:assert/strict";
import { lazyCallPanel } from "../../Sources/Kohtaamo/Resources/static/call-loader.js";

class RecordingPanel {
  static made = [];
  constructor(options) {
    this.options = options;
    this.seen = [];
    RecordingPanel.made.push(this);
  }
  handle(f) { this.seen.push(["handle", f.t]); }
  close(text) { this.seen.push(["close", text]); }
  init() { this.seen.push(["init"]); }
}

test("what the page asks before the panel is loaded reaches it in order, once", async () => {
  RecordingPanel.made = [];
  let loads = 0;
  const call = lazyCallPanel({ c: "c1" }, async () => { loads += 1; return { CallPanel: RecordingPanel }; });
  call.init();
  call.handle({ t: "call" });
  call.handle({ t: "signal" });
  const [a, b] = await Promise.all([call.load(), call.load()]);
  assert.equal(a, b);
  assert.equal(loads, 1);
  call.close("ended");
  assert.equal(RecordingPanel.made.length, 1);
  assert.deepEqual(RecordingPanel.made[0].options, { c: "c1" });
  assert.deepEqual(RecordingPanel.made[0].seen, [["init"], ["handle", "call"], ["handle", "signal"], ["close", "ended"]]);
});

test("nothing is loaded until the page asks for it", () => {
  let loads = 0;
  const call = lazyCallPanel({}, async () => { loads += 1; return { CallPanel: RecordingPanel }; });
  call.handle({ t: "call" });
  assert.equal(loads, 0);
});
