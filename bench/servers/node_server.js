// The arraycast stream from Node.js with `ws`, written the way most
// tutorials write a broadcast: wss.clients.forEach(c => c.send(text)).
// Same wire format and hello semantics as `arraycast serve`: welcome first,
// packets only after the client's hello. For bench/run.sh only.
'use strict';
const { WebSocketServer } = require('ws');

const args = { port: 0, interval: 2.0, arrays: 5, length: 10 };
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = Number(process.argv[i + 1]);

const nowUs = () => Math.floor(Number(process.hrtime.bigint() - hrStart) / 1000) + wallStartUs;
const hrStart = process.hrtime.bigint();
const wallStartUs = Date.now() * 1000;
const epoch = wallStartUs;
let seq = 0;
let rng = 1;
const random99 = () => { rng = (rng * 1103515245 + 12345) % 2147483648; return rng % 100; };

const wss = new WebSocketServer({ host: '127.0.0.1', port: args.port, backlog: 4096, perMessageDeflate: false });
const live = new Set();
wss.on('connection', (ws) => {
  ws.send(JSON.stringify({ type: 'welcome', epoch, head: seq, history: 0, arrays: args.arrays, length: args.length,
                           min: 0, max: 99, interval_us: Math.round(args.interval * 1e6) }));
  ws.on('message', (data) => {
    let msg;
    try { msg = JSON.parse(data); } catch { return; }
    if (msg && msg.type === 'hello') live.add(ws);
  });
  ws.on('close', () => live.delete(ws));
  ws.on('error', () => live.delete(ws));
});

// Flow control for --interval 0: wait while any client has over 1 MiB unsent.
const congested = () => { for (const ws of live) if (ws.bufferedAmount > 1 << 20) return true; return false; };

function tick() {
  if (args.interval === 0 && congested()) return setTimeout(tick, 1);
  seq += 1;
  const arrays = [];
  for (let a = 0; a < args.arrays; a++) { const row = []; for (let i = 0; i < args.length; i++) row.push(random99()); arrays.push(row); }
  const text = JSON.stringify({ type: 'packet', seq, ts: nowUs(), arrays });
  live.forEach((ws) => ws.send(text));
  if (args.interval === 0) setImmediate(tick);
}

wss.on('listening', () => {
  console.log(`node_server: streaming on ws://127.0.0.1:${wss.address().port}/`);
  if (args.interval > 0) setInterval(tick, args.interval * 1000); else setImmediate(tick);
});
process.on('SIGINT', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
