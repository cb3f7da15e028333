"""The binary packet encoding: a client that asks for it in its hello gets
packets in the layout of docs/PROTOCOL.md ("Binary packets"), the same
packets a JSON client gets, in fewer bytes; `arraycast record --encoding
binary` writes the same file as a JSON recorder."""

import asyncio
import json
import struct

import websockets

from conftest import HOST, SLOW, connect, recv_json, recv_type, run

# Layout version 2, little-endian: the 24-byte header (version, width, kind,
# shape, array count, seq, ts), one u32 length (shape 0, uniform) or one per
# array (shape 1, ragged), then the values. Written from the protocol
# document, not from the C++ code.
HEADER = struct.Struct("<BBBBIQq")
INT_FORMAT = {1: "b", 2: "h", 4: "i", 8: "q"}
KIND_INT, KIND_FLOAT = 0, 1
UNIFORM, RAGGED = 0, 1


def unpack_packet(data):
    """(seq, ts, arrays, width) of one binary packet; fails on anything malformed."""
    version, width, kind, shape, count, seq, ts = HEADER.unpack_from(data)
    assert version == 2, f"unknown version {version}"
    assert (kind, shape) in {(k, s) for k in (KIND_INT, KIND_FLOAT) for s in (UNIFORM, RAGGED)}, (kind, shape)
    assert width == 8 if kind == KIND_FLOAT else width in INT_FORMAT, f"bad width {width} for kind {kind}"
    fields = count if shape == RAGGED else 1
    lengths = struct.unpack_from(f"<{fields}I", data, HEADER.size)
    lengths = lengths if shape == RAGGED else lengths * count
    at = HEADER.size + 4 * fields
    assert len(data) == at + sum(lengths) * width, f"{len(data)} bytes for lengths {lengths} of width {width}"
    values = struct.unpack_from(f"<{sum(lengths)}{'d' if kind == KIND_FLOAT else INT_FORMAT[width]}", data, at)
    starts = [sum(lengths[:i]) for i in range(count)]
    return seq, ts, [list(values[s:s + n]) for s, n in zip(starts, lengths)], width


def pack_packet(seq, ts, arrays, width, shape=None, version=2):
    """The binary packet of `arrays`: integers at `width` bytes per value, or
    doubles (width 8) when the first value is a float; uniform when every
    array has the same length, unless `shape` says otherwise."""
    values = [v for a in arrays for v in a]
    floats = bool(values) and isinstance(values[0], float)
    if shape is None:
        shape = UNIFORM if arrays and len({len(a) for a in arrays}) == 1 and arrays[0] else RAGGED
    lengths = [len(a) for a in arrays] if shape == RAGGED else [len(arrays[0]) if arrays else 0]
    head = HEADER.pack(version, width, int(floats), shape, len(arrays), seq, ts)
    return (head + struct.pack(f"<{len(lengths)}I", *lengths)
            + struct.pack(f"<{len(values)}{'d' if floats else INT_FORMAT[width]}", *values))


async def collect_packets(url, encoding, n):
    """Connects with `encoding` in the hello and reads n packets:
    {seq: (ts, arrays)} and {seq: message size in bytes}."""
    ws = await connect(url)
    welcome = await recv_json(ws)  # control messages stay JSON text for every client
    assert welcome["type"] == "welcome", welcome
    await ws.send(json.dumps({"type": "hello", "name": f"py-{encoding}", "encoding": encoding}))
    packets, sizes = {}, {}
    while len(packets) < n:
        message = await asyncio.wait_for(ws.recv(), 5 * SLOW)
        if encoding == "binary":
            assert isinstance(message, bytes), f"a binary client got a text message: {message[:120]!r}"
            seq, ts, arrays, width = unpack_packet(message)
            assert width == 1, "values 0..99 fit in one byte each"
        else:
            assert isinstance(message, str), f"a json client got a binary message: {message[:40]!r}"
            p = json.loads(message)
            assert p["type"] == "packet", p
            seq, ts, arrays = p["seq"], p["ts"], p["arrays"]
            message = message.encode()
        packets[seq] = (ts, arrays)
        sizes[seq] = len(message)
    await ws.close()
    return packets, sizes


def test_binary_and_json_clients_get_the_same_packets_and_binary_is_smaller(procs):
    server = procs.server(interval="20ms")

    async def both():
        return await asyncio.gather(collect_packets(server.url, "binary", 30),
                                    collect_packets(server.url, "json", 30))

    (binary, binary_sizes), (text, text_sizes) = run(both())
    common = sorted(set(binary) & set(text))
    assert len(common) >= 20, f"the two clients overlap in only {len(common)} packets"
    for seq in common:
        assert binary[seq] == text[seq], f"packet {seq} differs between the encodings"
        assert len(binary[seq][1]) == 5 and all(len(a) == 10 for a in binary[seq][1])
        assert binary_sizes[seq] == HEADER.size + 4 + 5 * 10, "one length, then one byte per value"
        assert binary_sizes[seq] < text_sizes[seq] / 2, f"binary {binary_sizes[seq]} B vs json {text_sizes[seq]} B"
    server.wait_output(r"py-binary \(127\.0\.0\.1:\d+\) said hello \(binary packets\)", 1)


def test_a_hello_with_an_unknown_encoding_is_answered_with_an_error(procs):
    server = procs.server()

    async def scenario():
        ws = await connect(server.url)
        await recv_json(ws)
        await ws.send(json.dumps({"type": "hello", "name": "odd", "encoding": "msgpack"}))
        error = await recv_type(ws, "error")
        assert error["code"] == "bad_message" and "encoding" in error["message"], error
        await ws.close()

    run(scenario())
    assert server.running()


def test_a_binary_recorder_writes_the_same_lines_as_a_json_recorder(procs):
    server = procs.server(interval="20ms")
    binary = procs.recorder(server.url, "bin", None, "--encoding", "binary")
    text = procs.recorder(server.url, "txt", None, "--encoding", "json")
    binary.wait_packets(30)
    text.wait_packets(30)
    for r in (binary, text):
        assert r.stop() == 0, r.stderr()
        assert "ignoring a message" not in r.stderr(), r.stderr()

    def by_seq(rec):
        return {p["seq"]: (p["epoch"], p["ts"], p["arrays"]) for p in rec.packets()}

    a, b = by_seq(binary), by_seq(text)
    common = set(a) & set(b)
    assert len(common) >= 20, f"the two recorders overlap in only {len(common)} packets"
    for seq in common:
        assert a[seq] == b[seq], f"packet {seq} recorded differently"


def test_a_binary_recorder_decodes_what_a_foreign_server_sends_and_skips_garbage(procs):
    """A server written from the protocol document sends every width, ragged
    arrays, doubles, malformed binary messages (truncated; layout version 1)
    and a JSON packet: the recorder writes the good packets as sent, logs the
    bad ones, and keeps its connection."""
    sent = [(1, -7, [[1, -2], [3, 4]], 1), (2, 10, [[300, -300], [0, 1]], 2),
            (3, 20, [[70000, -70000], [5, 6]], 4), (4, 30, [[2**62, -2**63], [2**63 - 1, 0]], 8),
            (5, 31, [[1, 2, 3], [], [-4]], 1), (6, 32, [[2.5, -0.5], [1e300, 2.0], [5e-324]], 8),
            (7, 33, [[0.25], []], 8)]
    hellos = []

    async def handler(ws, *_):
        await ws.send(json.dumps({"type": "welcome", "epoch": 99, "head": 0}))
        hellos.append(json.loads(await ws.recv()))
        for seq, ts, arrays, width in sent[:2]:
            await ws.send(pack_packet(seq, ts, arrays, width))
        await ws.send(pack_packet(3, 0, [[1]], 1)[:-1])  # truncated: ignored, not fatal
        await ws.send(struct.pack("<BBHIQq", 1, 1, 1, 1, 3, 0) + b"\x01")  # layout version 1: refused by its version
        for seq, ts, arrays, width in sent[2:]:
            await ws.send(pack_packet(seq, ts, arrays, width))
        await ws.send(json.dumps({"type": "packet", "seq": 8, "ts": 40, "arrays": [[9, 9.5]]}))
        async for _ in ws:  # acks, until the recorder closes
            pass

    async def scenario():
        async with websockets.serve(handler, HOST, 0) as server:
            port = server.sockets[0].getsockname()[1]
            rec = procs.recorder(f"ws://{HOST}:{port}/", "foreign", None, "--encoding", "binary")
            while len(rec.packets()) < len(sent) + 1:
                assert rec.running(), rec.output()
                await asyncio.sleep(0.05)
            assert await asyncio.to_thread(rec.stop) == 0, rec.stderr()
            return rec

    rec = run(scenario())
    assert hellos == [{"type": "hello", "name": "foreign", "encoding": "binary"}]
    recorded = [(p["seq"], p["ts"], p["arrays"]) for p in rec.packets()]
    assert recorded == [(seq, ts, arrays) for seq, ts, arrays, _ in sent] + [(8, 40, [[9, 9.5]])]
    kinds = [[[type(v) for v in a] for a in p["arrays"]] for p in rec.packets()]
    assert kinds[5] == [[float, float], [float, float], [float]], "doubles stay doubles, 2.0 included"
    assert kinds[7] == [[int, float]], "a JSON packet keeps both kinds"
    assert "ignoring a message from the server" in rec.stderr()
    assert "version 2 expected" in rec.stderr() and "got 1" in rec.stderr(), rec.stderr()
    assert len(rec.events("connected")) == 1, "the bad message did not cost the connection"


def test_an_unknown_encoding_flag_is_refused(procs):
    rec = procs.recorder("ws://127.0.0.1:1/", "bad", None, "--encoding", "foo")
    assert rec.wait_exit(10) != 0
    assert "--encoding" in rec.stderr(), rec.output()
    assert not rec.out.exists(), "nothing is recorded with a bad flag"
