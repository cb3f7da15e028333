// Headless Chromium (Debian's, driven by playwright-core) runs the dashboard
// that `arraycast serve` embeds: it must show the packets the server sent,
// list the connected clients, notice a SIGKILLed server, reconnect to its
// restart on the same port, and keep up with 100 packets/s; and it must draw
// a stream whose shape changes from packet to packet, doubles included.
"use strict";

const { test, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { chromium } = require("playwright-core");
const { ARTIFACTS, SLOW, getJson, killServer, mintJwt, openWitness, sleep, startServer, waitUntil } = require("./harness");

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                       "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

const cleanup = [];
after(async () => { for (const f of cleanup.reverse()) await f(); });

// What the page shows, read from its stable ids and data attributes.
async function shown(page) {
  return page.evaluate(() => {
    const latest = document.getElementById("latest");
    return {
      state: document.getElementById("state").dataset.state,
      seqText: document.getElementById("seq").textContent,
      seq: Number(latest.dataset.seq || 0),
      seqEpoch: latest.dataset.epoch,
      arrays: latest.dataset.arrays ? JSON.parse(latest.dataset.arrays) : null,
      rows: [...latest.tBodies[0].rows].map((r) => r.cells[1].textContent),
      epoch: document.getElementById("epoch").textContent,
      away: document.getElementById("away").textContent,
      rate: Number(document.getElementById("rate").textContent),
      outages: Number(document.getElementById("outages").dataset.count),
      clients: [...document.querySelectorAll("#clients tbody tr")].map((r) => r.dataset.name),
    };
  });
}

// Samples the page several times and checks each shown packet against the
// one the witness received for the same epoch and seq.
async function assertPageMatches(page, witness, samples) {
  for (let i = 0; i < samples; i++) {
    const s = await waitUntil(async () => {
      const v = await shown(page);
      return witness.welcome && v.seqEpoch === String(witness.welcome.epoch) && witness.packets.has(v.seq) && v;
    }, 5000, "a packet on the page that the witness also received");
    const sent = witness.packets.get(s.seq);
    assert.deepEqual(s.arrays, sent.arrays, `arrays of packet ${s.seq}`);
    assert.equal(s.seqText, String(s.seq), "#seq shows the latest packet's seq");
    assert.deepEqual(s.rows, sent.arrays.map((a) => a.join(" ")), `table rows of packet ${s.seq}`);
    await sleep(120);
  }
}

async function screenshot(page, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, name);
  await page.screenshot({ path: file });
  return file;
}

// A fresh Chromium profile and page; `problems` collects page errors and
// console errors other than refused connections (expected while a server is down).
async function openPage(options = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "arraycast-chromium-"));
  cleanup.push(() => fs.rmSync(profile, { recursive: true, force: true }));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 680 }, ...options,
  });
  cleanup.push(() => context.close());
  const page = context.pages()[0] ?? await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !/WebSocket connection to .* failed|ERR_CONNECTION_REFUSED/.test(m.text()))
      problems.push(`console: ${m.text()}`);
  });
  return { page, problems };
}

test("dashboard: live packets, clients, reconnect after SIGKILL, 100 packets/s", { timeout: 120_000 * SLOW }, async () => {
  let server = await startServer({ interval: "50ms" });
  cleanup.push(() => killServer(server));
  const port = server.port;
  let witness = openWitness(port, "witness");
  cleanup.push(() => witness.close());

  const { page, problems } = await openPage();

  // 1. Live: the page shows what the server sent, packet for packet.
  await page.goto(`http://127.0.0.1:${port}/`);
  await waitUntil(async () => (await shown(page)).state === "live", 10_000, "the page to go live");
  await assertPageMatches(page, witness, 5);
  const live = await shown(page);
  assert.equal(live.epoch, String(server.epoch));
  assert.ok(live.rate > 10 && live.rate < 30, `rate ${live.rate} at 20 packets/s`);

  // 2. Clients: /clients lists both, and so does the page's table.
  const clients = await waitUntil(async () => {
    const list = await getJson(`${server.base}/clients`);
    return ["dashboard", "witness"].every((n) => list.some((c) => c.name === n)) && list;
  }, 5000, "/clients to list the dashboard and the witness");
  assert.ok(clients.find((c) => c.name === "dashboard").lag < 10, "the dashboard acks what it shows");
  await waitUntil(async () => (await shown(page)).clients.includes("witness"), 5000, "the page's client table");
  await screenshot(page, "dashboard-live.png");

  // 3. SIGKILL: the page notices.
  const oldEpoch = server.epoch;
  await killServer(server);
  await witness.close();
  await waitUntil(async () => (await shown(page)).state === "disconnected", 5000, "the page to show disconnected");
  await sleep(1500);
  const away = await shown(page);
  assert.equal(away.state, "disconnected", "reconnect attempts while the server is down keep it disconnected");
  assert.ok(Number(/away for ([\d.]+) s/.exec(away.away)?.[1]) >= 1, `"${away.away}" counts the time away`);
  await screenshot(page, "dashboard-disconnected.png");

  // 4. Restart on the same port, now at 100 packets/s: the page reconnects by itself.
  server = await startServer({ port, interval: "10ms" });
  witness = openWitness(port, "witness");
  await waitUntil(async () => {
    const s = await shown(page);
    return s.state === "live" && s.epoch === String(server.epoch);
  }, 15_000, "the page to reconnect to the new epoch");
  assert.notEqual(server.epoch, oldEpoch);
  await assertPageMatches(page, witness, 5);
  assert.ok((await shown(page)).outages >= 1, "the outage is listed");

  // 5. Smooth at 100 packets/s: frames keep coming and the page keeps up.
  // Bounds leave room for a loaded CI machine; a page that redrew per packet
  // or fell behind for good would miss them by far.
  const frames = await page.evaluate(() => new Promise((resolve) => {
    let n = 0;
    const start = performance.now();
    const tick = () => (performance.now() - start < 2000 ? (n++, requestAnimationFrame(tick)) : resolve(n));
    requestAnimationFrame(tick);
  }));
  assert.ok(frames >= 20 / SLOW, `${frames} animation frames in 2 s at 100 packets/s`);
  let behind = Infinity;
  for (let i = 0; i < 5; i++) {
    behind = Math.min(behind, witness.newest() - (await shown(page)).seq);
    await sleep(100);
  }
  assert.ok(behind < 50, `the page stays within 50 packets of the stream (best of 5: ${behind})`);
  const s = await shown(page);
  if (SLOW === 1) assert.ok(s.rate > 60 && s.rate < 140, `rate ${s.rate} at 100 packets/s`);
  await waitUntil(async () => (await shown(page)).clients.includes("witness"), 5000, "the client table after restart");
  await screenshot(page, "dashboard.png");

  assert.deepEqual(problems, []);
});

// Packets of changing shape, as their JSON text goes on the wire (doubles as
// Boost.JSON writes them), and what the page must show for each.
const SHAPES = [
  { arrays: "[[1,2,3],[4,5,6]]", caption: "2 arrays of 3 values" },
  { arrays: "[[2.5E0,-2.5E-1],[],[1E1,2E0,3.5E0,4E0,5E0]]", caption: "3 arrays of 0–5 values" },
  { arrays: "[]", caption: "no arrays" },
  { arrays: "[[1],[2],[3],[4],[5],[6],[7]]", caption: "7 arrays of 1 value" },
  { arrays: `[[${Array.from({ length: 200 }, (_, i) => (i % 17) - 8).join(",")}]]`, caption: "1 array of 200 values" },
  { arrays: "[[1,2.5E0],[9007199254740991,-1E300]]", caption: "2 arrays of 2 values" },
];

async function plotted(page) {
  return page.evaluate(() => {
    const [latest, history] = ["latest-plot", "history-plot"].map((id) => document.getElementById(id).dataset);
    return {
      latest: { series: Number(latest.series), points: Number(latest.points) },
      history: { series: Number(history.series), points: Number(history.points) },
      caption: document.getElementById("latest-caption").textContent,
      params: document.getElementById("params").textContent,
      canvases: document.querySelectorAll("#latest-plot canvas, #history-plot canvas").length,
    };
  });
}

// The page and /clients come from the real binary; the page's WebSocket is
// routed (playwright's routeWebSocket) to a stand-in server that speaks
// docs/PROTOCOL.md as a source without a fixed shape does: a welcome without
// arrays/length/min/max, then packets whose shape changes every time.
test("dashboard: draws a stream whose shape changes, doubles included", { timeout: 60_000 * SLOW }, async () => {
  const server = await startServer({ interval: "1s" });
  cleanup.push(() => killServer(server));
  const { page, problems } = await openPage();
  const stand_in = { socket: null, received: [] };
  await page.routeWebSocket((url) => url.port === String(server.port) && url.pathname === "/", (ws) => {
    stand_in.socket = ws;
    ws.onMessage((m) => stand_in.received.push(JSON.parse(m)));
    ws.send(JSON.stringify({ type: "welcome", epoch: 1764000000000000, head: 0, history: 0,
                             source: "stdin", interval_us: 0 }));
  });
  await page.goto(`http://127.0.0.1:${server.port}/`);
  await waitUntil(() => stand_in.received.some((m) => m.type === "hello"), 10_000, "the page's hello");
  assert.equal((await shown(page)).state, "live");

  const ts0 = 1764000000000000;
  for (const [i, shape] of SHAPES.entries()) {
    const seq = i + 1;
    stand_in.socket.send(`{"type":"packet","seq":${seq},"ts":${ts0 + seq * 100_000},"arrays":${shape.arrays}}`);
    const arrays = JSON.parse(shape.arrays);
    const s = await waitUntil(async () => { const v = await shown(page); return v.seq === seq && v; },
                              5000, `packet ${seq} on the page`);
    assert.deepEqual(s.arrays, arrays, `arrays of packet ${seq}`);
    assert.deepEqual(s.rows, arrays.map((a) => a.join(" ")), `table rows of packet ${seq}`);
    const p = await plotted(page);
    assert.equal(p.latest.series, arrays.length, `latest plot: a series per array of packet ${seq}`);
    assert.equal(p.latest.points, Math.max(0, ...arrays.map((a) => a.length)), `latest plot: x spans the longest array`);
    assert.ok(p.caption.endsWith(shape.caption), `caption "${p.caption}" for packet ${seq}`);
    assert.equal(p.history.points, seq, "history: a point per packet");
    assert.equal(p.canvases, 2, "both plots drawn");
    await waitUntil(() => stand_in.received.some((m) => m.type === "ack" && m.seq === seq), 5000, `the ack of ${seq}`);
    if (seq === 2) await screenshot(page, "dashboard-ragged.png");
  }
  const p = await plotted(page);
  assert.equal(p.history.series, 7, "history: a series per array index seen in the window");
  assert.equal(p.params, "stdin", "the welcome promises no shape");
  await screenshot(page, "dashboard-shapes.png");
  assert.deepEqual(problems, []);
});

// With --auth, the page's own URL carries the token (/?token=…): the page
// passes it on its WebSocket URL and as a Bearer header on /clients.
test("dashboard: with --auth, a token in the page URL opens the stream and /clients", { timeout: 60_000 * SLOW }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "arraycast-auth-"));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const token = "interop-dashboard-token-5d1e";
  fs.writeFileSync(path.join(dir, "tokens"), `${token} read admin\n`);
  const server = await startServer({ extra: ["--auth", "--token-file", path.join(dir, "tokens")] });
  cleanup.push(() => killServer(server));
  const { page, problems } = await openPage();
  await page.goto(`http://127.0.0.1:${server.port}/?token=${token}`);
  await waitUntil(async () => (await shown(page)).state === "live", 10_000, "the page to go live");
  await waitUntil(async () => (await shown(page)).clients.includes("dashboard"), 5000, "the page's client table");
  assert.ok(!server.output.includes(token), "the token is not logged");
  assert.deepEqual(problems, []);
});

// A JWT in the page URL that expires: the server closes with 4501, and the
// page says why it stopped instead of retrying a token that would be refused.
test("dashboard: an expired token (4501) stops the page with the reason", { timeout: 60_000 * SLOW }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "arraycast-jwt-"));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  // Long enough for a loaded machine to bring the page live first; it expires while the page streams.
  const { secret, token } = mintJwt(dir, { sub: "page", scopes: ["read", "admin"], ttl: `${6 * SLOW}s` });
  const server = await startServer({ interval: "100ms", extra: ["--auth", "--jwt-secret-file", secret] });
  cleanup.push(() => killServer(server));
  const { page, problems } = await openPage();
  await page.goto(`http://127.0.0.1:${server.port}/?token=${token}`);
  await waitUntil(async () => (await shown(page)).state === "live", 10_000, "the page to go live");
  const stopped = await waitUntil(async () => { const s = await shown(page); return s.away.startsWith("stopped:") && s; },
                                  20_000, "the page to stop");
  assert.equal(stopped.state, "disconnected");
  assert.match(stopped.away, /4501/);
  await sleep(1000);
  assert.equal((await shown(page)).away, stopped.away, "no reconnect attempts");
  assert.equal((await getJson(`${server.base}/healthz`)).clients, 0);
  // The expired token also fails the page's /clients polls: the browser logs those.
  assert.deepEqual(problems.filter((p) => !/status of 401/.test(p)), []);
});

// Over TLS the page is https:// and opens its stream at wss://, the same port.
// The certificate is self-signed, made here; the browser is told to accept it.
test("dashboard: over https, the page streams from wss:// on the same port", { timeout: 60_000 * SLOW }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "arraycast-tls-"));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const cert = path.join(dir, "cert.pem"), key = path.join(dir, "key.pem");
  require("node:child_process").execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt",
    "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1",
    "-addext", "subjectAltName=IP:127.0.0.1"], { stdio: "ignore" });
  const server = await startServer({ interval: "100ms", extra: ["--tls-cert", cert, "--tls-key", key] });
  cleanup.push(() => killServer(server));
  const { page, problems } = await openPage({ ignoreHTTPSErrors: true });
  await page.goto(`https://127.0.0.1:${server.port}/`);
  await waitUntil(async () => (await shown(page)).state === "live", 10_000, "the page to go live");
  const first = (await shown(page)).seq;
  await waitUntil(async () => (await shown(page)).seq >= first + 5, 5000, "five more packets over wss://");
  assert.equal((await shown(page)).epoch, String(server.epoch));
  assert.deepEqual(problems, []);
});
