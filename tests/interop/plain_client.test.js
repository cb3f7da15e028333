// Node's `ws` as a client that knows nothing of the protocol: it opens the
// stream and only listens. With the hello in the URL it resumes, still
// without sending a message.
"use strict";

const { test, after } = require("node:test");
const assert = require("node:assert/strict");
const WebSocket = require("ws");
const { killServer, startServer, waitUntil } = require("./harness");

const servers = [];
after(async () => { for (const s of servers) await killServer(s); });

// Everything `url` sends until `enough(messages)`; the client never sends.
async function listen(url, enough) {
  const ws = new WebSocket(url);
  const messages = [];
  ws.on("message", (data, binary) => messages.push(binary ? data : JSON.parse(data.toString())));
  await waitUntil(() => enough(messages), 10_000, `enough messages from ${url}`);
  ws.close(1000);
  return messages;
}

const packetsOf = (messages) => messages.filter((m) => m.type === "packet");

function assertConsecutive(seqs) {
  for (let i = 1; i < seqs.length; i++) assert.equal(seqs[i], seqs[i - 1] + 1, `seq ${seqs[i - 1]} then ${seqs[i]}`);
}

test("a client that sends nothing gets the welcome, then packets", { timeout: 30_000 }, async () => {
  const s = await startServer({ interval: "50ms" });
  servers.push(s);
  const messages = await listen(s.url, (m) => packetsOf(m).length >= 10);
  assert.equal(messages[0].type, "welcome");
  assert.deepEqual(messages.slice(1).map((m) => m.type), Array(messages.length - 1).fill("packet"));
  assertConsecutive(packetsOf(messages).map((p) => p.seq));
});

test("a hello in the URL resumes with exactly the missed packets", { timeout: 30_000 }, async () => {
  const s = await startServer({ interval: "20ms" });
  servers.push(s);
  const first = packetsOf(await listen(`${s.url}?name=node-plain`, (m) => packetsOf(m).length >= 5));
  const last = first[first.length - 1].seq;
  await new Promise((r) => setTimeout(r, 400));  // about 20 packets go by
  const url = `${s.url}?name=node-plain&epoch=${s.epoch}&last_seq=${last}`;
  const again = packetsOf(await listen(url, (m) => packetsOf(m).length >= 40));
  assert.equal(again[0].seq, last + 1, "the first packet is the one after the last we had");
  assertConsecutive(again.map((p) => p.seq));
});

test("encoding=binary in the URL gets binary packets", { timeout: 30_000 }, async () => {
  const s = await startServer({ interval: "20ms" });
  servers.push(s);
  const messages = await listen(`${s.url}?encoding=binary`, (m) => m.length >= 4);
  assert.equal(messages[0].type, "welcome");
  for (const frame of messages.slice(1)) {
    assert.ok(Buffer.isBuffer(frame), "a binary frame");
    assert.equal(frame[0], 2, "binary layout version 2");
  }
});
