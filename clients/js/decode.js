// Server messages from WebSocket data, by docs/PROTOCOL.md; no sockets here.
// decodeText reads a text frame (welcome, packet, gap, error), decodeBinary a
// binary packet of layout version 2. Both return packets as
// {type: "packet", seq, ts, arrays} with every value a JS number (README,
// "Numbers"), and throw ProtocolError for a message that breaks the rules.
import { ProtocolError, UnsupportedLayout } from "./errors.js";

export const LAYOUT_VERSION = 2;
const MAX_VALUES = 1_000_000;  // per packet, all arrays together; also the most arrays
const HEADER_BYTES = 24;
const INT_READERS = {
  1: (v, at) => v.getInt8(at),
  2: (v, at) => v.getInt16(at, true),
  4: (v, at) => v.getInt32(at, true),
  // Number() rounds to the nearest double, as JSON.parse does: both encodings give the same value.
  8: (v, at) => Number(v.getBigInt64(at, true)),
};
const readDouble = (v, at) => v.getFloat64(at, true);

const fail = (message) => { throw new ProtocolError(message); };
const isCount = (n) => Number.isSafeInteger(n) && n >= 0;

export function decodeText(text) {
  let msg;
  try {
    msg = JSON.parse(text);
  } catch (e) {
    fail(`a text message that is not JSON: ${e.message}`);
  }
  if (msg === null || typeof msg !== "object" || Array.isArray(msg) || typeof msg.type !== "string")
    fail("a text message that is not an object with a string \"type\"");
  if (msg.type === "packet") return packet(msg.seq, msg.ts, checkArrays(msg.arrays));
  if (msg.type === "welcome" && !isCount(msg.epoch)) fail("a welcome without an integer epoch");
  if (msg.type === "gap") checkGap(msg);
  return msg;
}

function packet(seq, ts, arrays) {
  if (!isCount(seq) || seq < 1) fail(`a packet whose seq is not an integer ≥ 1: ${seq}`);
  if (!Number.isSafeInteger(ts)) fail(`a packet whose ts is not an integer: ${ts}`);
  return { type: "packet", seq, ts, arrays };
}

function checkArrays(arrays) {
  if (!Array.isArray(arrays) || !arrays.every(Array.isArray)) fail("a packet whose arrays are not arrays of arrays");
  let values = 0;
  for (const a of arrays) {
    values += a.length;
    if (!a.every((v) => typeof v === "number" && Number.isFinite(v))) fail("a packet with a value that is not a finite number");
  }
  if (arrays.length > MAX_VALUES || values > MAX_VALUES) fail("a packet with more values than a packet may hold");
  return arrays;
}

function checkGap(g) {
  if (!isCount(g.from) || g.from < 1 || !(g.to === null || (isCount(g.to) && g.to >= g.from)) || typeof g.reason !== "string")
    fail("a gap whose from, to or reason is malformed");
}

// data: an ArrayBuffer (browsers, ws with binaryType "arraybuffer") or any
// view of one (a Node Buffer, a Uint8Array).
export function decodeBinary(data) {
  const view = ArrayBuffer.isView(data) ? new DataView(data.buffer, data.byteOffset, data.byteLength) : new DataView(data);
  if (view.byteLength < 1) fail("an empty binary message");
  const version = view.getUint8(0);
  if (version !== LAYOUT_VERSION)
    throw new UnsupportedLayout(`binary packet of layout version ${LAYOUT_VERSION} expected (this client is too old or too new), got ${version}`);
  if (view.byteLength < HEADER_BYTES) fail(`a binary packet of ${view.byteLength} bytes, shorter than its header`);
  const layout = readLayout(view);
  const seq = view.getBigUint64(8, true);
  if (seq < 1n || seq > BigInt(Number.MAX_SAFE_INTEGER)) fail(`a binary packet whose seq is out of range: ${seq}`);
  return packet(Number(seq), Number(view.getBigInt64(16, true)), readValues(view, layout));
}

// The header, and every length it promises checked against the message's
// size before anything is allocated for it.
function readLayout(view) {
  const [width, kind, shape, count] = [view.getUint8(1), view.getUint8(2), view.getUint8(3), view.getUint32(4, true)];
  if (kind > 1) fail(`a binary packet of unknown value kind ${kind}`);
  if (shape > 1) fail(`a binary packet of unknown shape ${shape}`);
  const read = kind === 1 ? (width === 8 ? readDouble : undefined) : INT_READERS[width];
  if (!read) fail(`a binary packet whose value width is ${width}: 1, 2, 4 or 8 for integers and 8 for doubles`);
  if (count > MAX_VALUES) fail(`a binary packet with too many arrays: ${count}`);
  const ragged = shape === 1;
  const valuesAt = HEADER_BYTES + 4 * (ragged ? count : 1);
  if (view.byteLength < valuesAt) fail(`a binary packet of ${view.byteLength} bytes, shorter than its header and lengths`);
  const lengthOf = (i) => view.getUint32(HEADER_BYTES + 4 * (ragged ? i : 0), true);
  if (!ragged && count > 0 && lengthOf(0) === 0) fail("a binary packet of empty arrays in the uniform shape");
  let total = ragged ? 0 : count * (count && lengthOf(0));
  for (let i = 0; ragged && i < count; i++) total += lengthOf(i);
  if (total > MAX_VALUES) fail("a binary packet with more values than a packet may hold");
  if (view.byteLength !== valuesAt + total * width)
    fail(`a binary packet of ${view.byteLength} bytes whose header needs ${valuesAt + total * width}`);
  return { width, read, count, lengthOf, valuesAt, doubles: kind === 1 };
}

function readValues(view, { width, read, count, lengthOf, valuesAt, doubles }) {
  let at = valuesAt;
  return Array.from({ length: count }, (_, array) => {
    const a = new Array(lengthOf(array));
    for (let i = 0; i < a.length; i++, at += width) a[i] = read(view, at);
    if (doubles && !a.every(Number.isFinite)) fail("a binary packet with a double that is NaN or infinite");
    return a;
  });
}
