// The JavaScript client module (clients/js) in Node with `ws`, against the
// real server: the values a producer wrote in both encodings, resume after a
// lost connection, a server SIGKILLed and restarted, and the ends that must
// not be retried.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");
const WebSocket = require("ws");
const { getJson, killServer, mintJwt, sleep, startServer, waitUntil } = require("./harness");

let js;  // the ES module
before(async () => { js = await import("../../clients/js/index.js"); });
const servers = [];
const cleanup = [];
after(async () => {
  for (const f of cleanup.reverse()) await f();
  for (const s of servers) await killServer(s);
});

async function server(options) {
  const s = await startServer(options);
  servers.push(s);
  return s;
}

// Runs `for await (const item of stream(url, options))` in the background,
// keeping every item, until stop() aborts it or the stream throws.
function consume(url, options = {}) {
  const abort = new AbortController();
  const c = { items: [], error: null, disconnects: 0 };
  const onDisconnect = () => { c.disconnects++; };
  c.finished = (async () => {
    try {
      for await (const item of js.stream(url, { WebSocket, signal: abort.signal, onDisconnect, ...options })) c.items.push(item);
    } catch (e) {
      c.error = e;
    }
  })();
  c.packets = (epoch) => c.items.filter((i) => i.type === "packet" && (epoch === undefined || i.epoch === epoch));
  c.gaps = () => c.items.filter((i) => i.type === "gap");
  c.stop = () => { abort.abort(); return c.finished; };
  cleanup.push(c.stop);
  return c;
}

function assertConsecutive(seqs, first) {
  if (first !== undefined) assert.equal(seqs[0], first, `the first seq is ${first}`);
  for (let i = 1; i < seqs.length; i++) assert.equal(seqs[i], seqs[i - 1] + 1, `seq ${seqs[i - 1]} then ${seqs[i]}`);
}

// A WebSocket constructor that counts the binary messages it receives.
function countingWebSocket(counter) {
  return class extends WebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (ev) => { if (typeof ev.data !== "string") counter.binary++; });
    }
  };
}

// Lines for `--source stdin` and the packet each must become.
const LINES = [
  "[[1,2,3],[4,5,6]]",                                                 // integers, 1 byte, uniform
  "[[-128,127],[0]]",                                                  // 1 byte, ragged
  "[[300,-32768],[]]",                                                 // 2 bytes, an empty array
  "[[70000],[-2147483648,2147483647]]",                                // 4 bytes
  "[[9007199254740993,-9223372036854775808,9223372036854775807]]",     // 8 bytes, beyond 2^53
  "[[2.5,-0.25],[1e300,5e-324],[]]",                                   // doubles, ragged
  "[[0.1,0.2,0.3]]",                                                   // doubles, uniform
  '{"arrays":[]}',                                                     // no arrays
  "[[1,2.5]]",                                                         // mixed: a text packet even in binary
  '{"arrays":[[7]],"ts":1764000000123456}',                            // the producer's own ts
];

test("JSON and binary clients get the values a producer wrote, as JSON.parse reads them, and ack them", { timeout: 30_000 }, async () => {
  const s = await server({ extra: ["--source", "stdin"], stdin: "pipe" });
  const frames = { json: { binary: 0 }, binary: { binary: 0 } };
  const clients = ["json", "binary"].map((encoding) => consume(s.url, {
    name: `js-${encoding}`, encoding, WebSocket: countingWebSocket(frames[encoding]) }));
  await waitUntil(async () => {
    const list = await getJson(`${s.base}/clients`);
    return ["js-json", "js-binary"].every((n) => list.some((c) => c.name === n));
  }, 5000, "both clients' hellos");
  for (const line of LINES) s.child.stdin.write(`${line}\n`);
  await waitUntil(() => clients.every((c) => c.packets().length >= LINES.length), 5000, "every line as a packet");

  const expected = LINES.map((l) => JSON.parse(l)).map((v) => (Array.isArray(v) ? v : v.arrays));
  for (const c of clients) {
    const packets = c.packets();
    assert.deepEqual(packets.map((p) => p.arrays), expected);
    assertConsecutive(packets.map((p) => p.seq));
    assert.ok(packets.every((p) => p.epoch === s.epoch && Number.isSafeInteger(p.ts)));
    assert.equal(packets[LINES.length - 1].ts, 1764000000123456);
    assert.deepEqual(c.gaps(), []);
  }
  const last = clients[0].packets().at(-1).seq;
  await waitUntil(async () => (await getJson(`${s.base}/clients`)).filter((c) => c.last_acked === last).length === 2,
                  5000, `/clients to show both clients acked packet ${last}`);
  assert.equal(frames.json.binary, 0, "the JSON client got text frames only");
  assert.equal(frames.binary.binary, LINES.length - 1, "the binary client got binary packets, but the mixed one");
});

// A TCP proxy to `port` whose connections the test can cut, refusing new ones meanwhile.
async function proxy(port) {
  const sockets = new Set();
  const p = { refusing: false };
  const listener = net.createServer((inbound) => {
    if (p.refusing) return inbound.destroy();
    const outbound = net.connect(port, "127.0.0.1");
    for (const [a, b] of [[inbound, outbound], [outbound, inbound]]) {
      sockets.add(a);
      a.pipe(b);
      a.on("error", () => b.destroy());
      a.on("close", () => { sockets.delete(a); b.destroy(); });
    }
  });
  await new Promise((r) => listener.listen(0, "127.0.0.1", r));
  p.url = `ws://127.0.0.1:${listener.address().port}/`;
  p.cut = () => { for (const s of sockets) s.destroy(); };
  cleanup.push(() => { p.cut(); return new Promise((r) => listener.close(r)); });
  return p;
}

test("a cut connection resumes by itself with exactly the missed packets", { timeout: 30_000 }, async () => {
  const s = await server({ interval: "20ms" });
  const p = await proxy(s.port);
  for (const encoding of ["json", "binary"]) {
    const c = consume(p.url, { name: `js-cut-${encoding}`, encoding });
    await waitUntil(() => c.packets().length >= 5, 5000, "5 packets");
    p.refusing = true;
    p.cut();
    await sleep(300);  // 15 packets go by while the client is away
    p.refusing = false;
    const before = c.packets().length;
    await waitUntil(() => c.packets().length >= before + 30, 5000, "packets after the cut");
    await c.stop();
    assert.ok(c.disconnects >= 1, "the connection was lost");
    assertConsecutive(c.packets().map((x) => x.seq));
    assert.deepEqual(c.gaps(), [], "nothing was lost: no gap");
  }
});

test("resumeFrom picks up where an earlier stream() stopped", { timeout: 30_000 }, async () => {
  const s = await server({ interval: "20ms" });
  const first = consume(s.url, { name: "js-resume" });
  await waitUntil(() => first.packets().length >= 5, 5000, "5 packets");
  await first.stop();
  const last = first.packets().at(-1);
  await sleep(200);
  const again = consume(s.url, { name: "js-resume", resumeFrom: { epoch: last.epoch, lastSeq: last.seq } });
  await waitUntil(() => again.packets().length >= 20, 5000, "replayed and live packets");
  await again.stop();
  assertConsecutive(again.packets().map((x) => x.seq), last.seq + 1);
  assert.deepEqual(again.gaps(), []);
});

test("a consumer that falls behind pauses the connection and resumes after what it took", { timeout: 30_000 }, async () => {
  const s = await server({ interval: "5ms", extra: ["--history", "4096"] });
  let welcomes = 0;
  const seqs = [];
  for await (const item of js.stream(s.url, { WebSocket, name: "js-slow", maxBuffered: 40, onWelcome: () => welcomes++ })) {
    assert.equal(item.type, "packet", `no gap: ${JSON.stringify(item)}`);
    seqs.push(item.seq);
    if (seqs.length === 150) break;
    await sleep(10);  // slower than the stream
  }
  assert.ok(welcomes >= 3, `paused and resumed (${welcomes} connections)`);
  assertConsecutive(seqs);
});

test("a server SIGKILLed and restarted: every packet of each epoch once, and one gap between", { timeout: 60_000 }, async () => {
  let s = await server({ interval: "20ms" });
  const port = s.port;
  const clients = ["json", "binary"].map((encoding) => consume(s.url, { name: `js-kill-${encoding}`, encoding }));
  await waitUntil(() => clients.every((c) => c.packets().length >= 10), 5000, "10 packets");
  const oldEpoch = s.epoch;
  await killServer(s);
  await sleep(500);
  s = await server({ port, interval: "20ms" });
  await waitUntil(() => clients.every((c) => c.packets(s.epoch).length >= 20), 15_000, "20 packets of the new epoch");
  for (const c of clients) {
    await c.stop();
    const old = c.packets(oldEpoch).map((x) => x.seq);
    assertConsecutive(old);
    assert.deepEqual(c.gaps(), [{ type: "gap", epoch: oldEpoch, from: old.at(-1) + 1, to: null, reason: "new epoch" }]);
    assertConsecutive(c.packets(s.epoch).map((x) => x.seq), 1);
    const gapAt = c.items.findIndex((i) => i.type === "gap");
    assert.ok(c.items.slice(0, gapAt).every((i) => i.epoch === oldEpoch) && c.items.slice(gapAt + 1).every((i) => i.epoch === s.epoch));
    assert.equal(c.error, null);
  }
});

test("ends that retrying cannot help are thrown: 4501 (token expired), 401", { timeout: 30_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "arraycast-js-"));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const { secret, token } = mintJwt(dir, { sub: "js", scopes: ["read"], ttl: "2s" });
  const s = await server({ interval: "20ms", extra: ["--auth", "--jwt-secret-file", secret] });

  const expiring = consume(s.url, { name: "js-token", token });
  await waitUntil(() => expiring.error, 10_000, "the stream to end");
  assert.ok(expiring.packets().length > 0, "packets came while the token was valid");
  assert.ok(expiring.error instanceof js.DoNotReconnect, String(expiring.error));
  assert.equal(expiring.error.code, 4501);
  assert.equal(expiring.disconnects, 0, "no reconnect was tried");

  const refused = consume(s.url, { name: "js-no-token" });
  await waitUntil(() => refused.error, 5000, "the stream to end");
  assert.ok(refused.error instanceof js.Refused, String(refused.error));
  assert.equal(refused.error.status, 401);
});

// An arraycast older than hellos in the URL (or another server written from
// docs/PROTOCOL.md) sends a welcome without `subscribed`: the hello goes as a message.
test("a server that does not take the URL's hello gets it as a message", { timeout: 30_000 }, async () => {
  const wss = new WebSocket.Server({ host: "127.0.0.1", port: 0 });
  cleanup.push(() => new Promise((r) => wss.close(r)));
  const seen = {};
  wss.on("connection", (ws, req) => {
    seen.url = req.url;
    ws.send(JSON.stringify({ type: "welcome", epoch: 9, head: 0, history: 0 }));
    ws.once("message", (data) => {
      seen.hello = JSON.parse(data.toString());
      ws.send(JSON.stringify({ type: "packet", seq: 1, ts: 5, arrays: [[1, 2]] }));
    });
  });
  await new Promise((r) => wss.once("listening", r));
  const c = consume(`ws://127.0.0.1:${wss.address().port}/`, { name: "old", resumeFrom: { epoch: 9, lastSeq: 0 } });
  await waitUntil(() => c.packets().length >= 1, 5000, "the packet after the hello");
  await c.stop();
  assert.deepEqual(seen.hello, { type: "hello", name: "old", encoding: "json", epoch: 9, last_seq: 0 });
  assert.equal(seen.url, "/?name=old&encoding=json&epoch=9&last_seq=0");
  assert.deepEqual(c.packets()[0], { type: "packet", epoch: 9, seq: 1, ts: 5, arrays: [[1, 2]] });
});
