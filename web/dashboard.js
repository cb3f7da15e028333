// The arraycast live dashboard. It is just another client of the stream, by
// the JavaScript client module (clients/js: hello, resume, acks, reconnects)
// over the browser's WebSocket, to the server that served this page; and it
// polls /clients. Messages only update state; drawing
// happens at most once per animation frame, so 100 packets/s stay cheap.
import { pollClients } from "./clients.js";
import { COLORS, createPlots } from "./plots.js";
import { connect } from "../clients/js/index.js";
import { TOKEN } from "./token.js";

const NAME = "dashboard";
const HISTORY_SECONDS = 60;          // the scrolling plot's time window
const HISTORY_MAX_POINTS = 6000;     // 60 s at 100 packets/s
const RATE_WINDOW_US = 2_000_000;    // packet rate over the last 2 s of packet ts
const CLIENTS_POLL_MS = 1500;
const MAX_ARRAYS_SHOWN = 20;         // plotted and listed; more would be unreadable lines

const $ = (id) => document.getElementById(id);

// Everything the page knows; the draw step renders it.
const state = {
  conn: "connecting",      // connecting | live | disconnected
  awaySince: null,         // Date.now() when the connection was lost
  stoppedBy: null,         // why the client gave up for good (a 4500–4999 close: e.g. the token expired)
  epoch: null,             // of the current connection's welcome
  params: null,            // the welcome: source, interval_us; arrays, length, min, max only from the random source
  latest: null,            // newest packet {epoch, seq, ts, arrays}
  received: 0,
  rateTs: [],              // packet ts within RATE_WINDOW_US of the newest
  history: { x: [], means: [] },  // x: packet ts in s; means[i]: mean of array i, null at gaps and where it had none
  outages: [],             // {from, to, missed}
  clients: null,
  dirty: true,
};

// ---- connection: clients/js speaks the protocol ---------------------------

function streamUrl() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/`;
}

// While away, every attempt keeps the page "disconnected" until a welcome
// arrives; only the very first connection shows "connecting".
function onConnecting() {
  if (state.awaySince === null) state.conn = "connecting";
  markDirty();
}

function onDisconnect() {
  state.conn = "disconnected";
  state.awaySince ??= Date.now();
  markDirty();
}

// The server asked not to come back: reconnecting would fail the same way.
function onStop(error) {
  state.conn = "disconnected";
  state.awaySince = null;
  state.stoppedBy = error?.message ?? "closed";
  markDirty();
}

function onWelcome(msg) {
  const newEpoch = state.epoch !== null && msg.epoch !== state.epoch;
  if (state.awaySince !== null) {
    state.outages.unshift({ from: state.awaySince, to: Date.now(), missed: null, newEpoch });
    state.awaySince = null;
  }
  if (newEpoch) breakHistoryLine();
  state.epoch = msg.epoch;
  state.params = msg;
  state.conn = "live";
  markDirty();
}

function onGap(gap) {
  const outage = state.outages[0];
  if (outage && outage.missed === null) outage.missed = gap.to === null ? `${gap.from}… (${gap.reason})` : `${gap.from}–${gap.to}`;
  breakHistoryLine();
  markDirty();
}

// The client acks each packet once this returns.
function onPacket(p) {
  state.latest = p;
  state.received++;
  pushRate(p.ts);
  pushHistory(p);
  markDirty();
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

// Packets may change shape: a series per array index ever seen in the
// window, null where a packet had no such array (or an empty one).
function pushHistory(p) {
  const h = state.history;
  h.x.push(p.ts / 1e6);
  const arrays = p.arrays.slice(0, MAX_ARRAYS_SHOWN);
  for (let i = 0; i < Math.max(h.means.length, arrays.length); i++) {
    const a = arrays[i];
    h.means[i] ??= new Array(h.x.length - 1).fill(null);
    h.means[i].push(a?.length ? a.reduce((s, v) => s + v, 0) / a.length : null);
  }
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
  // Arrays that no packet in the window had any more leave the chart.
  while (h.means.length && h.means[h.means.length - 1].every((v) => v === null)) h.means.pop();
}

// ---- drawing, batched per animation frame --------------------------------

const plots = createPlots({ latestEl: $("latest-plot"), historyEl: $("history-plot") });
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
  $("away").textContent = state.stoppedBy ? `stopped: ${state.stoppedBy}` : state.awaySince === null ? ""
    : `away for ${((Date.now() - state.awaySince) / 1000).toFixed(1)} s, reconnecting…`;
  $("seq").textContent = state.latest ? state.latest.seq : "–";
  const rate = packetRate();
  $("rate").textContent = rate === null ? "–" : rate.toFixed(1);
  $("received").textContent = state.received;
  $("epoch").textContent = state.epoch ?? "–";
  $("params").textContent = describeStream(state.params);
}

// "random: 5×10 in [0, 99] every 2 s", "stdin": what the welcome promises.
function describeStream(p) {
  if (!p) return "–";
  let text = p.source ?? "random";
  if (p.arrays !== undefined) text += `: ${p.arrays}×${p.length} in [${p.min}, ${p.max}]`;
  if (p.interval_us > 0) text += ` every ${p.interval_us / 1e6} s`;
  return text;
}

// What a packet holds: "3 arrays of 1–10 values".
function describeShape(arrays) {
  if (!arrays.length) return "no arrays";
  const lo = arrays.reduce((m, a) => Math.min(m, a.length), Infinity);
  const hi = arrays.reduce((m, a) => Math.max(m, a.length), 0);
  const values = lo === hi ? `${lo}` : `${lo}–${hi}`;
  const more = arrays.length > MAX_ARRAYS_SHOWN ? ` (the first ${MAX_ARRAYS_SHOWN} shown)` : "";
  return `${arrays.length} array${arrays.length === 1 ? "" : "s"} of ${values} value${hi === 1 ? "" : "s"}${more}`;
}

// The y range the random source promises; every other source's is fitted to the data.
function valueRange() {
  const p = state.params;
  return Number.isFinite(p?.min) && Number.isFinite(p?.max) ? [p.min, p.max] : null;
}

function drawLatest() {
  const p = state.latest;
  if (!p) return;
  const shown = p.arrays.slice(0, MAX_ARRAYS_SHOWN);
  plots.showLatest(shown, valueRange());
  $("latest-caption").textContent =
    `seq ${p.seq}, ${new Date(p.ts / 1000).toLocaleTimeString()}, ${describeShape(p.arrays)}`;

  const table = $("latest");
  table.dataset.epoch = p.epoch;
  table.dataset.seq = p.seq;
  table.dataset.arrays = JSON.stringify(p.arrays);
  const body = table.tBodies[0];
  while (body.rows.length > shown.length) body.deleteRow(-1);
  shown.forEach((a, i) => {
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
  if (!h.x.length) return;
  plots.showHistory(h.x, h.means, valueRange());
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

// ---- start ----------------------------------------------------------------

// While away, the "away for" counter keeps ticking without packets.
setInterval(() => { if (state.awaySince !== null) markDirty(); }, 250);
new ResizeObserver(() => plots.resize()).observe(document.querySelector("main"));
connect(streamUrl(), { name: NAME, token: TOKEN, onConnecting, onWelcome, onDisconnect, onStop, onGap, onPacket });
pollClients({ table: $("clients"), status: $("clients-status"), intervalMs: CLIENTS_POLL_MS });
