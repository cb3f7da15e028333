// The JavaScript client's resume rules (clients/js/tracker.js), without a
// server: the same story `arraycast record` writes for the same messages.
"use strict";

const { test, before } = require("node:test");
const assert = require("node:assert/strict");

let Tracker;
before(async () => { ({ Tracker } = await import("../../clients/js/tracker.js")); });

const packet = (seq) => ({ type: "packet", seq, ts: seq, arrays: [[seq]] });
const said = (items) => items.map((i) => (i.type === "packet" ? i.seq : `gap ${i.epoch}:${i.from}-${i.to} ${i.reason}`));

test("a fresh client starts where it joins; a replay it already has is dropped; a jump is a gap", () => {
  const t = new Tracker();
  assert.deepEqual(t.resumePoint(), {}, "nothing to resume from: live");
  t.welcome(7);
  assert.deepEqual(said([5, 6, 6, 5, 9].flatMap((s) => t.packet(packet(s)))), [5, 6, "gap 7:7-8 missing", 9]);
  assert.deepEqual(t.resumePoint(), { epoch: 7, last_seq: 9 });
});

test("the server's gaps are handed on once, clipped to what was not handed on yet", () => {
  const t = new Tracker({ epoch: 7, lastSeq: 10 });
  assert.deepEqual(t.resumePoint(), { epoch: 7, last_seq: 10 });
  t.welcome(7);
  const items = [t.gap({ from: 9, to: 20, reason: "history" }), t.gap({ from: 15, to: 20, reason: "history" }), t.packet(packet(21))];
  assert.deepEqual(said(items.flat()), ["gap 7:11-20 history", 21]);
});

test("another epoch ends the old one with one gap to null, announced by the server or not", () => {
  for (const announced of [true, false]) {
    const t = new Tracker({ epoch: 7, lastSeq: 10 });
    t.welcome(8);
    const items = announced ? [t.gap({ from: 11, to: null, reason: "new epoch" }), t.packet(packet(1))] : [t.packet(packet(3))];
    const rest = announced ? [1] : ["gap 8:1-2 missing", 3];  // the new epoch is counted from its seq 1
    assert.deepEqual(said(items.flat()), ["gap 7:11-null new epoch", ...rest]);
    assert.equal(t.epoch, 8);
  }
});
