// The connection loop: one WebSocket at a time, a hello that resumes where the
// tracker is, packets and gaps handed to callbacks, acks, and reconnects with
// jittered backoff until the caller closes or the server says not to return.
// The WebSocket constructor is the browser's own, or injected ({WebSocket}
// from the `ws` package in Node): this module imports no package.
import { Backoff } from "./backoff.js";
import { decodeBinary, decodeText } from "./decode.js";
import { DoNotReconnect, GaveUp, Refused, UnsupportedLayout } from "./errors.js";
import { Tracker } from "./tracker.js";

const ENCODINGS = ["json", "binary"];
const OPEN = 1;  // WebSocket.OPEN, the same in every implementation
const CONNECT_TIMEOUT_MS = 10_000;  // no welcome by then: try again (a browser's WebSocket has no timeout of its own)
const doNotReconnect = (code) => code >= 4500 && code <= 4999;  // docs/PROTOCOL.md, "Close codes"

export function connect(url, options = {}) {
  return new Client(url, options);
}

// Hooks, all optional: onPacket(packet), onGap(gap), onConnecting({url, attempt}),
// onWelcome(welcome, {url}), onDisconnect({url, code, reason, wasConnected, retryInMs}),
// onStop(error or null), onWarning(text). See README.md.
class Client {
  constructor(url, options) {
    this.urls = [url].flat();
    this.options = { name: "js", encoding: "json", autoAck: true, maxRetries: null,
                     connectTimeoutMs: CONNECT_TIMEOUT_MS, onWarning: (text) => console.warn(text), ...options };
    this.WebSocket = options.WebSocket ?? globalThis.WebSocket;
    check(this.urls, this.options, this.WebSocket);
    this.tracker = new Tracker(options.resumeFrom);
    this.backoff = new Backoff(options.backoff);
    this.current = 0;      // index in urls of this attempt
    this.failures = 0;     // attempts since a connection last held
    this.conn = null;      // the one live attempt: {ws, url, epoch, welcomed, started, status}
    this.timer = null;     // the welcome deadline or the backoff wait, never both
    this.stopped = false;
    this.paused = false;
    this.open();
  }

  // Acks a packet handed on earlier, if its connection is still the one open.
  ack(packet) {
    if (this.conn?.epoch === packet.epoch) this.sendAck(packet.seq);
  }

  close() {
    this.stop(null);
  }

  // Stops reading for a while (a consumer that fell behind): the connection
  // closes with 1000, and resume() opens the next, which resumes after the
  // last item handed on. Neither counts as a lost connection.
  pause() {
    if (this.paused || this.stopped) return;
    this.paused = true;
    clearTimeout(this.timer);
    this.conn?.ws.close(1000);
    this.conn = null;
  }

  resume() {
    if (!this.paused || this.stopped) return;
    this.paused = false;
    this.open();
  }

  open() {
    const url = this.urls[this.current];
    // The hello rides in the URL, so the server streams from the upgrade on;
    // a server whose welcome does not say "subscribed" gets it as a message.
    const hello = this.hello();
    const ws = new this.WebSocket(withQuery(url, { token: this.options.token, ...hello }));
    const conn = { ws, url, hello, epoch: null, welcomed: false, started: Date.now(), status: null };
    this.conn = conn;
    ws.binaryType = "arraybuffer";
    ws.onmessage = (ev) => conn === this.conn && this.onMessage(conn, ev.data);
    ws.onerror = (ev) => { conn.status ??= refusedStatus(ev); };
    ws.onclose = (ev) => conn === this.conn && this.onClose(conn, ev);
    this.timer = setTimeout(() => ws.close(), this.options.connectTimeoutMs);
    this.options.onConnecting?.({ url, attempt: this.failures + 1 });
  }

  hello() {
    return { name: this.options.name, encoding: this.options.encoding, ...this.tracker.resumePoint() };
  }

  onMessage(conn, data) {
    let msg;
    try {
      msg = typeof data === "string" ? decodeText(data) : decodeBinary(data);
    } catch (e) {
      if (e instanceof UnsupportedLayout) return this.stop(e);
      return this.options.onWarning(`ignoring a message from ${conn.url}: ${e.message}`);
    }
    if (msg.type === "welcome") this.onWelcome(conn, msg);
    else if (msg.type === "packet") this.onPacket(msg);
    else if (msg.type === "gap") this.handOn(this.tracker.gap(msg));
    else if (msg.type === "error") this.options.onWarning(`${conn.url} rejected a message (${msg.code}): ${msg.message}`);
  }

  onWelcome(conn, welcome) {
    clearTimeout(this.timer);
    Object.assign(conn, { epoch: welcome.epoch, welcomed: true });
    if (!welcome.subscribed) conn.ws.send(JSON.stringify({ type: "hello", ...conn.hello }));
    this.tracker.welcome(welcome.epoch);
    this.options.onWelcome?.(welcome, { url: conn.url });
  }

  // The hooks see the packet first; with autoAck the ack says they are done with it.
  // A replayed packet the caller already had is acked at once, as the recorder does.
  onPacket(p) {
    const items = this.tracker.packet(p);
    this.handOn(items);
    if (this.options.autoAck || !items.some((item) => item.type === "packet")) this.sendAck(p.seq);
  }

  handOn(items) {
    for (const item of items) (item.type === "packet" ? this.options.onPacket : this.options.onGap)?.(item);
  }

  sendAck(seq) {
    if (this.conn?.ws.readyState === OPEN) this.conn.ws.send(JSON.stringify({ type: "ack", seq }));
  }

  onClose(conn, ev) {
    clearTimeout(this.timer);
    this.conn = null;
    if (this.stopped) return;
    if (conn.status) return this.stop(new Refused(conn.url, conn.status));
    if (doNotReconnect(ev.code)) return this.stop(new DoNotReconnect(conn.url, ev.code, ev.reason));
    const reason = describeClose(conn, ev);
    // A connection that held for a while proves the server is back: start the backoff over.
    if (conn.welcomed && Date.now() - conn.started > this.backoff.capMs) {
      this.failures = 0;
      this.backoff.reset();
    }
    const { maxRetries } = this.options;
    if (Number.isInteger(maxRetries) && this.failures >= maxRetries) return this.stop(new GaveUp(conn.url, this.failures + 1, reason));
    this.failures++;
    this.current = (this.current + 1) % this.urls.length;
    const retryInMs = this.backoff.nextMs();
    this.options.onDisconnect?.({ url: conn.url, code: ev.code, reason, wasConnected: conn.welcomed, retryInMs });
    this.timer = setTimeout(() => this.open(), retryInMs);
  }

  // Once: the caller closed (error null) or retrying cannot help.
  stop(error) {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    this.conn?.ws.close(1000);
    this.conn = null;
    this.options.onStop?.(error);
  }
}

function check(urls, { name, encoding, resumeFrom }, WebSocket) {
  if (!urls.length || !urls.every((u) => /^wss?:\/\//.test(u))) throw new TypeError(`arraycast: url must be ws:// or wss://, got ${urls}`);
  if (typeof name !== "string" || !name) throw new TypeError("arraycast: name must be a non-empty string");
  if (!ENCODINGS.includes(encoding)) throw new TypeError(`arraycast: encoding must be "json" or "binary", got ${encoding}`);
  if (resumeFrom && !(Number.isSafeInteger(resumeFrom.epoch) && Number.isSafeInteger(resumeFrom.lastSeq)))
    throw new TypeError("arraycast: resumeFrom must be {epoch, lastSeq}, two integers");
  if (typeof WebSocket !== "function")
    throw new TypeError("arraycast: no WebSocket here; in Node pass one: stream(url, {WebSocket}) with WebSocket from the ws package");
}

// `url` with `params` added to its query, those that have a value. A browser
// cannot set headers on a WebSocket, so the token goes there too, where the
// server reads it from any client (docs/PROTOCOL.md, "Authentication").
function withQuery(url, params) {
  const u = new URL(url);
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null) u.searchParams.set(key, String(value));
  return u.href;
}

// `ws` reports a refused upgrade as "Unexpected server response: 401";
// a browser does not say why a WebSocket failed, so there it is retried.
function refusedStatus(ev) {
  const status = Number(/Unexpected server response: (\d+)/.exec(ev?.message ?? "")?.[1]);
  return status === 401 || status === 403 ? status : null;
}

function describeClose(conn, ev) {
  if (ev.code === 1006 || !ev.code) return conn.welcomed ? "connection lost" : "cannot connect";
  return `closed (${ev.code}${ev.reason ? `: ${ev.reason}` : ""})`;
}
