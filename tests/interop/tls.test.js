// Node's `ws` over TLS: a server given --tls-cert/--tls-key is reached at
// wss:// by a client that trusts its certificate, and refused by one that
// does not. The certificate is made here with the openssl command.
"use strict";

const { test, after } = require("node:test");
const assert = require("node:assert/strict");
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const WebSocket = require("ws");
const { killServer, startServer, waitUntil } = require("./harness");

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "arraycast-tls-"));
const servers = [];
after(async () => {
  for (const s of servers) await killServer(s);
  fs.rmSync(dir, { recursive: true, force: true });
});

function selfSigned(name) {
  const cert = path.join(dir, `${name}.pem`), key = path.join(dir, `${name}.key`);
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
    "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
    { stdio: "ignore" });
  return { cert, key };
}

test("ws reads the stream over wss:// with the server's certificate trusted", { timeout: 30_000 }, async () => {
  const pair = selfSigned("server");
  const s = await startServer({ extra: ["--tls-cert", pair.cert, "--tls-key", pair.key] });
  servers.push(s);
  assert.match(s.url, /^wss:\/\//);
  const ws = new WebSocket(s.url, { ca: fs.readFileSync(pair.cert) });
  const received = [];
  ws.on("message", (d) => received.push(JSON.parse(d.toString())));
  await waitUntil(() => received.length >= 1, 5000, "welcome");
  assert.equal(received[0].type, "welcome");
  assert.equal(received[0].epoch, s.epoch);
  ws.send(JSON.stringify({ type: "hello", name: "node-tls" }));
  await waitUntil(() => received.filter((m) => m.type === "packet").length >= 5, 5000, "5 packets");
  const seqs = received.filter((m) => m.type === "packet").map((p) => p.seq);
  for (let i = 1; i < seqs.length; i++) assert.equal(seqs[i], seqs[i - 1] + 1);
  ws.close();

  // A client that trusts another certificate is refused by its own TLS stack.
  const other = selfSigned("other");
  const stranger = new WebSocket(s.url, { ca: fs.readFileSync(other.cert) });
  const error = await new Promise((resolve) => {
    stranger.on("error", resolve);
    stranger.on("open", () => resolve(null));
  });
  assert.ok(error, "a certificate signed by no trusted CA was accepted");
  assert.match(error.code || error.message, /SELF_SIGNED|self-signed|self signed/i);
});
