// The JavaScript client's decoder (clients/js/decode.js) without a server: the
// binary examples of docs/PROTOCOL.md, read from the page itself, and every
// malformed message the page says a decoder refuses.
"use strict";

const { test, before } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

let js;  // the ES module, imported once
before(async () => { js = await import("../../clients/js/index.js"); });

// The bytes column of the example that follows `title` in docs/PROTOCOL.md:
// lines "offset  bytes  field", columns two or more spaces apart.
function protocolExample(title) {
  const doc = fs.readFileSync(path.join(__dirname, "../../docs/PROTOCOL.md"), "utf8");
  const block = /```\n([\s\S]*?)```/.exec(doc.slice(doc.indexOf(title)))[1];
  const hex = block.split("\n").slice(1).filter(Boolean).map((line) => line.trim().split(/\s{2,}/)[1]).join(" ");
  return Buffer.from(hex.replace(/ /g, ""), "hex");
}

// A valid version-2 message, built field by field: a packet of `lengths.length` arrays.
function message({ version = 2, width = 1, kind = 0, shape = 1, lengths = [2], seq = 1n, ts = 5n, values } = {}) {
  const count = lengths.length;
  const lengthFields = shape ? lengths : [lengths[0] ?? 0];
  const total = lengths.reduce((s, n) => s + n, 0);
  const b = Buffer.alloc(24 + 4 * lengthFields.length + width * total);
  b.writeUInt8(version, 0); b.writeUInt8(width, 1); b.writeUInt8(kind, 2); b.writeUInt8(shape, 3);
  b.writeUInt32LE(count, 4); b.writeBigUInt64LE(seq, 8); b.writeBigInt64LE(ts, 16);
  lengthFields.forEach((n, i) => b.writeUInt32LE(n, 24 + 4 * i));
  const at = 24 + 4 * lengthFields.length;
  const write = kind ? (v, o) => b.writeDoubleLE(v, o)
    : { 1: (v, o) => b.writeInt8(v, o), 2: (v, o) => b.writeInt16LE(v, o), 4: (v, o) => b.writeInt32LE(v, o),
        8: (v, o) => b.writeBigInt64LE(BigInt(v), o) }[width];
  (values ?? new Array(total).fill(1)).forEach((v, i) => write(v, at + width * i));
  return b;
}

test("PROTOCOL.md example 1: integers, uniform", () => {
  const bytes = protocolExample("Example 1, integers, uniform");
  assert.equal(bytes.length, 34);
  assert.deepEqual(js.decodeBinary(bytes),
                   { type: "packet", seq: 42, ts: 1764000000123456, arrays: [[58, 39, 38], [1, 2, 3]] });
});

test("PROTOCOL.md example 2: doubles, ragged; an ArrayBuffer as browsers give it", () => {
  const bytes = protocolExample("Example 2, doubles, ragged");
  assert.equal(bytes.length, 56);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
  assert.deepEqual(js.decodeBinary(buffer), { type: "packet", seq: 43, ts: 1764000000223456, arrays: [[2.5], [-0.5, 1e300]] });
});

test("every integer width, sign included; beyond 2^53 rounded as JSON.parse rounds", () => {
  const cases = { 1: [-128, 127], 2: [-32768, 32767], 4: [-2147483648, 2147483647] };
  for (const [width, values] of Object.entries(cases))
    assert.deepEqual(js.decodeBinary(message({ width: Number(width), lengths: [2], values })).arrays, [values]);
  const big = message({ width: 8, lengths: [3], values: [0] });
  big.writeBigInt64LE(9007199254740993n, 28);
  big.writeBigInt64LE(-(2n ** 63n), 36);
  big.writeBigInt64LE(2n ** 63n - 1n, 44);
  assert.deepEqual(js.decodeBinary(big).arrays, [JSON.parse("[9007199254740993,-9223372036854775808,9223372036854775807]")]);
});

test("ragged with empty arrays, and no arrays at all", () => {
  assert.deepEqual(js.decodeBinary(message({ lengths: [0, 3, 0], values: [7, -8, 9] })).arrays, [[], [7, -8, 9], []]);
  assert.deepEqual(js.decodeBinary(message({ lengths: [] })).arrays, []);
});

test("another layout version is refused by its version, with a clear error", () => {
  for (const version of [1, 3, 0]) {
    assert.throws(() => js.decodeBinary(message({ version })), (e) => e instanceof js.UnsupportedLayout
      && e.message === `binary packet of layout version 2 expected (this client is too old or too new), got ${version}`);
  }
});

// A copy of `bytes` with one byte changed.
const patched = (bytes, at, value) => { const b = Buffer.from(bytes); b[at] = value; return b; };

test("malformed binary packets are refused", () => {
  const bad = {
    "shorter than the header": message().subarray(0, 20),
    "a byte short": message().subarray(0, message().length - 1),
    "a byte long": Buffer.concat([message(), Buffer.from([0])]),
    "unknown kind": patched(message(), 2, 2),
    "unknown shape": patched(message(), 3, 2),
    "width 3": patched(message(), 1, 3),
    "doubles of width 4": patched(message({ kind: 1, width: 8, lengths: [1], values: [1] }), 1, 4),
    "seq 0": message({ seq: 0n }),
    "uniform empty arrays": message({ shape: 0, lengths: [0, 0] }),
    "a NaN": message({ kind: 1, width: 8, lengths: [1], values: [NaN] }),
    "an infinity": message({ kind: 1, width: 8, lengths: [1], values: [-Infinity] }),
    "too many values": message({ shape: 0, lengths: [1_000_001], values: [] }).subarray(0, 28),
    "empty": Buffer.alloc(0),
  };
  for (const [what, bytes] of Object.entries(bad))
    assert.throws(() => js.decodeBinary(bytes), (e) => e instanceof js.ProtocolError && !(e instanceof js.UnsupportedLayout), what);
});

test("text messages: packets with doubles and ragged arrays; bad ones refused", () => {
  const p = js.decodeText('{"type":"packet","seq":43,"ts":1764000000223456,"arrays":[[2.5E0],[-5E-1,1E300],[]]}');
  assert.deepEqual(p, { type: "packet", seq: 43, ts: 1764000000223456, arrays: [[2.5], [-0.5, 1e300], []] });
  assert.equal(js.decodeText('{"type":"welcome","epoch":1,"head":0,"future":true}').future, true, "unknown fields are kept");
  assert.deepEqual(js.decodeText('{"type":"gap","from":3,"to":null,"reason":"new epoch"}'),
                   { type: "gap", from: 3, to: null, reason: "new epoch" });
  for (const text of ["nope", "[]", '{"seq":1}', '{"type":"packet","seq":0,"ts":1,"arrays":[]}',
                      '{"type":"packet","seq":1,"ts":1,"arrays":[1]}', '{"type":"packet","seq":1,"ts":1,"arrays":[["1"]]}',
                      '{"type":"packet","seq":1,"ts":1,"arrays":[[null]]}', '{"type":"welcome"}',
                      '{"type":"gap","from":5,"to":4,"reason":"x"}'])
    assert.throws(() => js.decodeText(text), js.ProtocolError, text);
});
