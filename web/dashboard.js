// The arraycast live dashboard. It is just another client of the stream: it
// speaks docs/PROTOCOL.md over the browser's WebSocket API to the server that
// served this page, and polls /clients. Messages only update state; drawing
// happens at most once per animation frame, so 100 packets/s stay cheap.
import { pollClients } from "./clients.js";
import { COLORS, createPlots } from "./plots.js";

const NAME = "dashboard";
const HISTORY_SECONDS = 60;          // the scrolling plot's time window
const HISTORY_MAX_POINTS = 6000;     // 60 s at 100 packets/s
const RATE_WINDOW_US = 2_000_000;    // packet rate over the last 2 s of packet ts
const BACKOFF_FIRST_MS = 250;        // reconnect: 250 ms doubling...
const BACKOFF_MAX_MS = 5000;         // ...up to 5 s, with jitter
const CLIENTS_POLL_MS = 1500;

const $ = (id) => document.getElementById(id);

// Everything the page knows; the draw step renders it.
const state = {
  conn: "connecting",      // connecting | live | disconnected
  awaySince: null,         // Date.now() when the connection was lost
  epoch: null,
  params: null,            // welcome fields: arrays, length, min, max, interval_us
  lastSeq: 0,              // newest packet seq of `epoch`, for resume
  latest: null,            // newest packet {seq, ts, arrays, epoch}
  received: 0,
  rateTs: [],              // packet ts within RATE_WINDOW_US of the newest
  history: { x: [], means: [] },  // x: packet ts in s; means[i]: mean of array i, null at gaps
  outages: [],             // {from, to, missed}
  clients: null,
  dirty: true,
};

// ---- connection -----------------------------------------------------------

let socket = null;
let backoffMs = BACKOFF_FIRST_MS;

function streamUrl() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/`;
}

// While away, every attempt keeps the page "disconnected" until a welcome
// arrives; only the very first connection shows "connecting".
function connect() {
  if (state.awaySince === null) state.conn = "connecting";
  markDirty();
  socket = new WebSocket(streamUrl());
  socket.onopen = () => socket.send(JSON.stringify(helloMessage()));
  socket.onmessage = (ev) => onMessage(JSON.parse(ev.data));
  socket.onclose = onClose;
}

// Resume where we left off when we know our epoch; the server replays what
// it still holds and announces the rest as a gap.
function helloMessage() {
  const hello = { type: "hello", name: NAME };
  if (state.epoch !== null && state.lastSeq > 0) {
    hello.epoch = state.epoch;
    hello.last_seq = state.lastSeq;
  }
  return hello;
}

function onClose() {
  socket = null;
  state.conn = "disconnected";
  state.awaySince ??= Date.now();
  const delay = backoffMs * (0.5 + Math.random() / 2);
  backoffMs = Math.min(backoffMs * 2, BACKOFF_MAX_MS);
  setTimeout(connect, delay);
  markDirty();
}

function onMessage(msg) {
  switch (msg.type) {
    case "welcome": return onWelcome(msg);
    case "packet": return onPacket(msg);
    case "gap": return onGap(msg);
    case "error": return console.warn("server rejected a message:", msg.code, msg.message);
  }
}

function onWelcome(msg) {
  const newEpoch = state.epoch !== null && msg.epoch !== state.epoch;
  if (state.awaySince !== null) {
    state.outages.unshift({ from: state.awaySince, to: Date.now(), missed: null, newEpoch });
    state.awaySince = null;
  }
  if (newEpoch) {
    state.lastSeq = 0;  // our resume point belonged to the old epoch
    breakHistoryLine();
  }
  if (!sameShape(state.params, msg)) {
    destroyPlots();
    state.history = { x: [], means: [] };
  }
  state.epoch = msg.epoch;
  state.params = msg;
  state.conn = "live";
  backoffMs = BACKOFF_FIRST_MS;
  markDirty();
}

function onGap(msg) {
  const outage = state.outages[0];
  if (outage && outage.missed === null) outage.missed = msg.to === null ? `${msg.from}… (${msg.reason})` : `${msg.from}–${msg.to}`;
  breakHistoryLine();
  markDirty();
}

function onPacket(msg) {
  state.lastSeq = msg.seq;
  state.latest = { ...msg, epoch: state.epoch };
  state.received++;
  pushRate(msg.ts);
  pushHistory(msg);
  socket?.send(JSON.stringify({ type: "ack", seq: msg.seq }));
  markDirty();
}

function sameShape(a, b) {
  return a && b && a.arrays === b.arrays && a.length === b.length;
}

// ---- derived data ---------------------------------------------------------

function pushRate(ts) {
  state.rateTs.push(ts);
  const oldest = ts - RATE_WINDOW_US;
  let drop = 0;
  while (drop < state.rateTs.length && state.rateTs[drop] < oldest) drop++;
  if (drop) state.rateTs.splice(0, drop);
}

function packetRate() {
  const t = state.rateTs;
  if (t.length < 2) return null;
  return (t.length - 1) / ((t[t.length - 1] - t[0]) / 1e6);
}

function pushHistory(p) {
  const h = state.history;
  h.x.push(p.ts / 1e6);
  p.arrays.forEach((a, i) => {
    h.means[i] ??= new Array(h.x.length - 1).fill(null);
    h.means[i].push(a.reduce((s, v) => s + v, 0) / a.length);
  });
  trimHistory();
}

// A null point makes the plot break the line, so an outage shows as a hole.
function breakHistoryLine() {
  const h = state.history;
  if (!h.x.length) return;
  h.x.push(h.x[h.x.length - 1] + 1e-6);
  h.means.forEach((m) => m.push(null));
}

function trimHistory() {
  const h = state.history;
  const newest = h.x[h.x.length - 1];
  let drop = 0;
  while (drop < h.x.length && h.x[drop] < newest - HISTORY_SECONDS) drop++;
  drop = Math.max(drop, h.x.length - HISTORY_MAX_POINTS);
  if (drop > 0) {
    h.x.splice(0, drop);
    h.means.forEach((m) => m.splice(0, drop));
  }
}

// ---- drawing, batched per animation frame --------------------------------

let plots = null;
let frameRequested = false;

function markDirty() {
  state.dirty = true;
  if (!frameRequested) {
    frameRequested = true;
    requestAnimationFrame(draw);
  }
}

function draw() {
  frameRequested = false;
  if (!state.dirty) return;
  state.dirty = false;
  drawHeader();
  drawLatest();
  drawHistory();
  drawOutages();
}

function drawHeader() {
  const badge = $("state");
  badge.dataset.state = state.conn;
  badge.textContent = state.conn;
  $("away").textContent = state.awaySince === null ? ""
    : `away for ${((Date.now() - state.awaySince) / 1000).toFixed(1)} s, reconnecting…`;
  $("seq").textContent = state.latest ? state.latest.seq : "–";
  const rate = packetRate();
  $("rate").textContent = rate === null ? "–" : rate.toFixed(1);
  $("received").textContent = state.received;
  $("epoch").textContent = state.epoch ?? "–";
  const p = state.params;
  $("params").textContent = p ? `${p.arrays}×${p.length} in [${p.min}, ${p.max}]` : "–";
}

function drawLatest() {
  const p = state.latest;
  if (!p) return;
  ensurePlots(p.arrays.length, p.arrays[0].length);
  plots.showLatest(p.arrays);
  $("latest-caption").textContent = `seq ${p.seq}, ${new Date(p.ts / 1000).toLocaleTimeString()}`;

  const table = $("latest");
  table.dataset.epoch = p.epoch;
  table.dataset.seq = p.seq;
  table.dataset.arrays = JSON.stringify(p.arrays);
  const body = table.tBodies[0];
  while (body.rows.length > p.arrays.length) body.deleteRow(-1);
  p.arrays.forEach((a, i) => {
    const row = body.rows[i] ?? body.insertRow();
    if (!row.cells.length) {
      row.insertCell().className = "swatch";
      row.insertCell();
      row.cells[0].style.background = COLORS[i % COLORS.length];
    }
    row.cells[1].textContent = a.join(" ");
  });
}

function drawHistory() {
  const h = state.history;
  if (!plots || !h.x.length) return;
  plots.showHistory(h.x, h.means);
}

function drawOutages() {
  const list = $("outages");
  if (!state.outages.length) return;
  list.dataset.count = state.outages.length;
  list.replaceChildren(...state.outages.slice(0, 10).map((o) => {
    const li = document.createElement("li");
    const secs = ((o.to - o.from) / 1000).toFixed(1);
    li.textContent = `${new Date(o.from).toLocaleTimeString()} – ${new Date(o.to).toLocaleTimeString()}`
      + ` (${secs} s)` + (o.newEpoch ? ", server restarted" : "") + (o.missed ? `, missed packets ${o.missed}` : "");
    return li;
  }));
}

function ensurePlots(arrays, length) {
  if (plots && plots.arrays === arrays && plots.length === length) return;
  destroyPlots();
  plots = createPlots({
    latestEl: $("latest-plot"), historyEl: $("history-plot"), arrays, length,
    min: state.params?.min ?? 0, max: state.params?.max ?? 99,
  });
}

function destroyPlots() {
  plots?.destroy();
  plots = null;
}

// ---- start ----------------------------------------------------------------

// While away, the "away for" counter keeps ticking without packets.
setInterval(() => { if (state.awaySince !== null) markDirty(); }, 250);
new ResizeObserver(() => plots?.resize()).observe(document.querySelector("main"));
connect();
pollClients({ table: $("clients"), status: $("clients-status"), intervalMs: CLIENTS_POLL_MS });
