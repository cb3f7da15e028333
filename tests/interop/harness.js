// Shared by the Node interop tests: start and kill the real `arraycast serve`,
// and a witness client written from docs/PROTOCOL.md with Node's `ws`.
"use strict";

const { execFileSync, spawn } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const WebSocket = require("ws");

const BIN = process.env.ARRAYCAST_BIN;
const SANITIZED = !["", "0", undefined].includes(process.env.ARRAYCAST_SANITIZED);
const SLOW = SANITIZED ? 4 : 1;  // sanitized builds are slower: stretch deadlines, never the scenario
const ARTIFACTS = process.env.ARRAYCAST_ARTIFACTS || path.join(__dirname, "artifacts");

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Polls `condition` (sync or async) until it returns something truthy.
async function waitUntil(condition, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs * SLOW;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs * SLOW} ms waiting for ${what}`);
    await sleep(25);
  }
}

// Starts `arraycast serve` and resolves once it prints its URL. stdin "pipe":
// server.child.stdin feeds `--source stdin`.
async function startServer({ port = 0, interval = "50ms", extra = [], stdin = "ignore" } = {}) {
  if (!BIN || !fs.existsSync(BIN)) throw new Error(`ARRAYCAST_BIN not set or missing: ${BIN}`);
  const args = ["serve", "--host", "127.0.0.1", "--port", String(port), "--interval", interval, ...extra];
  const child = spawn(BIN, args, { stdio: [stdin, "pipe", "pipe"] });
  const server = { child, output: "", port: null, epoch: null };
  const onData = (d) => { server.output += d.toString(); };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  const m = await waitUntil(() => {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${server.output}`);
    return /streaming on (wss?):\/\/127\.0\.0\.1:(\d+)\/ \(epoch (\d+)/.exec(server.output);
  }, 10_000, "the server to listen");
  server.port = Number(m[2]);
  server.epoch = Number(m[3]);
  server.url = `${m[1]}://127.0.0.1:${server.port}/`;
  server.base = `${m[1] === "wss" ? "https" : "http"}://127.0.0.1:${server.port}`;
  return server;
}

// SIGKILL by pid, then wait for the exit. Fails if a sanitized build
// reported anything while it ran.
async function killServer(server) {
  if (server.child.exitCode === null && server.child.signalCode === null) {
    const exited = new Promise((r) => server.child.once("exit", r));
    server.child.kill("SIGKILL");
    await exited;
  }
  const report = /(ERROR|WARNING): (Address|Thread|Leak|UndefinedBehavior)Sanitizer|runtime error:/.exec(server.output);
  if (report) throw new Error(`sanitizer report from the server:\n${server.output.slice(report.index, report.index + 4000)}`);
}

// A client of the stream by the protocol alone: welcome, hello, packets, acks.
// Keeps every packet by seq so a test can compare what others show.
function openWitness(port, name, { hello = {}, ack = true } = {}) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
  const w = { ws, name, welcome: null, packets: new Map(), messages: [], closed: false };
  ws.on("message", (data, isBinary) => {
    if (isBinary) throw new Error("the server sent a binary message");
    const msg = JSON.parse(data.toString());
    w.messages.push(msg);
    if (msg.type === "welcome") {
      w.welcome = msg;
      ws.send(JSON.stringify({ type: "hello", name, ...hello }));
    } else if (msg.type === "packet") {
      w.packets.set(msg.seq, msg);
      if (ack) ws.send(JSON.stringify({ type: "ack", seq: msg.seq }));
    }
  });
  ws.on("close", () => { w.closed = true; });
  ws.on("error", () => {});
  w.newest = () => Math.max(0, ...w.packets.keys());
  w.close = () => new Promise((r) => {
    if (w.closed) return r();
    ws.once("close", r);
    ws.close(1000);
  });
  return w;
}

// A secret for `serve --auth --jwt-secret-file`, written in `dir`, and a JWT
// that `arraycast token` signs with it.
function mintJwt(dir, { sub, scopes, ttl }) {
  const secret = path.join(dir, "jwt.secret");
  fs.writeFileSync(secret, "interop-tests-jwt-secret-0123456789abcdef\n");
  const args = ["token", "--secret-file", secret, "--sub", sub, "--ttl", ttl, ...scopes.flatMap((s) => ["--scope", s])];
  return { secret, token: execFileSync(BIN, args).toString().trim() };
}

async function getJson(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

module.exports = { ARTIFACTS, SLOW, getJson, killServer, mintJwt, openWitness, sleep, startServer, waitUntil };
