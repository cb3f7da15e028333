// Node's `ws` consumes the stream by docs/PROTOCOL.md alone: welcome first,
// nothing before hello, consecutive well-formed packets, acks counted,
// resume within an epoch, a gap for a foreign epoch, errors for bad input.
"use strict";

const { test, after } = require("node:test");
const assert = require("node:assert/strict");
const WebSocket = require("ws");
const { getJson, killServer, openWitness, sleep, startServer, waitUntil } = require("./harness");

const servers = [];
after(async () => { for (const s of servers) await killServer(s); });

async function server(options) {
  const s = await startServer(options);
  servers.push(s);
  return s;
}

function checkPacket(p, welcome) {
  assert.equal(p.type, "packet");
  assert.ok(Number.isSafeInteger(p.seq) && p.seq >= 1, `seq ${p.seq}`);
  assert.ok(Number.isSafeInteger(p.ts) && p.ts > 1.6e15, `ts ${p.ts} is µs since the epoch`);
  assert.equal(p.arrays.length, welcome.arrays);
  for (const a of p.arrays) {
    assert.equal(a.length, welcome.length);
    for (const v of a) assert.ok(Number.isInteger(v) && v >= welcome.min && v <= welcome.max, `value ${v}`);
  }
}

function assertConsecutive(seqs) {
  for (let i = 1; i < seqs.length; i++) assert.equal(seqs[i], seqs[i - 1] + 1, `seq ${seqs[i - 1]} then ${seqs[i]}`);
}

test("welcome first, nothing before hello, then consecutive packets that ack", { timeout: 30_000 }, async () => {
  // --hello-wait: how long the server waits for our hello before it streams to us as a plain client.
  const s = await server({ interval: "50ms", extra: ["--hello-wait", "5s", "--arrays", "3", "--length", "7", "--min", "-5", "--max", "5"] });
  const ws = new WebSocket(`ws://127.0.0.1:${s.port}/`);
  const received = [];
  ws.on("message", (d) => received.push(JSON.parse(d.toString())));
  await waitUntil(() => received.length >= 1, 5000, "welcome");
  await sleep(300);  // the stream ticks every 50 ms: packets would have come by now
  assert.equal(received.length, 1, "only the welcome arrives before hello");
  const welcome = received[0];
  assert.equal(welcome.type, "welcome");
  for (const key of ["epoch", "head", "history", "arrays", "length", "min", "max", "interval_us"])
    assert.ok(Number.isInteger(welcome[key]), `welcome.${key} is an integer`);
  assert.deepEqual([welcome.arrays, welcome.length, welcome.min, welcome.max, welcome.interval_us], [3, 7, -5, 5, 50000]);
  assert.equal(welcome.epoch, s.epoch);

  ws.send(JSON.stringify({ type: "hello", name: "node-ws" }));
  await waitUntil(() => received.filter((m) => m.type === "packet").length >= 10, 5000, "10 packets");
  const packets = received.filter((m) => m.type === "packet");
  packets.forEach((p) => checkPacket(p, welcome));
  assertConsecutive(packets.map((p) => p.seq));
  for (const p of packets) ws.send(JSON.stringify({ type: "ack", seq: p.seq }));

  const last = packets[packets.length - 1].seq;
  const me = await waitUntil(async () => (await getJson(`${s.base}/clients`))
    .find((c) => c.name === "node-ws" && c.last_acked >= last), 5000, "/clients to show node-ws's acks");
  assert.match(me.address, /^127\.0\.0\.1:\d+$/);
  assert.ok(me.connected_since > 1.6e15 && me.connected_since <= Date.now() * 1000);
  ws.close(1000);
});

test("resume in the same epoch replays what was missed; a foreign epoch gets a gap", { timeout: 30_000 }, async () => {
  const s = await server({ interval: "50ms", extra: ["--history", "200"] });
  const first = openWitness(s.port, "resumer");
  await waitUntil(() => first.packets.size >= 5, 5000, "5 packets");
  await first.close();
  const lastSeq = first.newest();
  await sleep(300);  // a few packets go by while we are away

  const again = openWitness(s.port, "resumer", { hello: { epoch: first.welcome.epoch, last_seq: lastSeq } });
  await waitUntil(() => again.packets.size >= 10, 5000, "replay and live packets");
  const seqs = [...again.packets.keys()];
  assert.equal(seqs[0], lastSeq + 1, "replay starts right after the last packet we had");
  assertConsecutive(seqs);
  assert.ok(!again.messages.some((m) => m.type === "gap"), "nothing was lost: no gap");
  await again.close();

  const stranger = openWitness(s.port, "stranger", { hello: { epoch: 12345, last_seq: 7 } });
  await waitUntil(() => stranger.packets.size >= 3, 5000, "packets after a foreign epoch");
  const gap = stranger.messages.find((m) => m.type === "gap");
  assert.ok(gap, "a gap announces what the old epoch lost");
  assert.equal(gap.from, 8);
  assert.equal(gap.to, null);
  assert.equal(typeof gap.reason, "string");
  assert.ok(stranger.messages.indexOf(gap) < stranger.messages.findIndex((m) => m.type === "packet"));
  await stranger.close();
});

test("bad input gets an error message and the stream goes on", { timeout: 30_000 }, async () => {
  const s = await server({ interval: "50ms" });
  const w = openWitness(s.port, "clumsy");
  await waitUntil(() => w.packets.size >= 2, 5000, "packets");
  w.ws.send("this is not json");
  w.ws.send(JSON.stringify({ type: "subscribe", topic: "x" }));
  const errors = await waitUntil(() => {
    const e = w.messages.filter((m) => m.type === "error");
    return e.length >= 2 && e;
  }, 5000, "two error messages");
  for (const e of errors) {
    assert.equal(typeof e.code, "string");
    assert.equal(typeof e.message, "string");
  }
  const before = w.newest();
  await waitUntil(() => w.newest() >= before + 3, 5000, "packets after the errors");
  assert.equal(w.closed, false);
  await w.close();
});
