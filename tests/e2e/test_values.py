"""Values through every layer: the welcome's description of the stream, and
packets recorded in every format from both encodings. With `--source stdin`
(when the binary has it), doubles, ragged arrays and packets of changing shape
go from a producer's lines to JSON and binary clients and to every recording
format, each value keeping its kind."""

import asyncio
import json
import os
import re
import subprocess

import pytest

from conftest import (BIN, SLOW, Server, check_packet, connect, read_csv, read_jsonl, read_txt, recv_json, run,
                      wait_until)
from test_encoding import unpack_packet

FORMATS = ("txt", "jsonl", "csv")
ENCODINGS = ("json", "binary")


async def first_messages(url, encoding, packets):
    """The welcome, then `packets` packets as (message, size) after a hello asking for `encoding`."""
    ws = await connect(url)
    welcome = await recv_json(ws)  # before any hello, and JSON text for every client
    await ws.send(json.dumps({"type": "hello", "name": f"values-{encoding}", "encoding": encoding}))
    got = []
    while len(got) < packets:
        got.append(await asyncio.wait_for(ws.recv(), 5 * SLOW))
    await ws.close()
    return welcome, got


def test_the_welcome_describes_the_random_source_for_both_encodings(procs):
    server = procs.server("--arrays", "3", "--length", "4", "--min", "-5", "--max", "5", interval="20ms")
    for encoding in ENCODINGS:
        welcome, messages = run(first_messages(server.url, encoding, 3))
        assert welcome["type"] == "welcome" and welcome["epoch"] == server.epoch, welcome
        assert welcome["source"] == "random" and welcome["interval_us"] == 20_000, welcome
        assert (welcome["arrays"], welcome["length"], welcome["min"], welcome["max"]) == (3, 4, -5, 5), welcome
        assert isinstance(welcome["head"], int) and isinstance(welcome["history"], int), welcome
        for m in messages:
            if encoding == "binary":
                assert isinstance(m, bytes) and len(m) == 24 + 4 + 3 * 4, m
                _, _, arrays, width = unpack_packet(m)
                assert width == 1
            else:
                arrays = json.loads(m)["arrays"]
            check_packet({"seq": 1, "ts": 1_700_000_000_000_000, "arrays": arrays}, 3, 4, -5, 5)


def record_all(procs, url, stem):
    """One recorder per format and encoding; returns {(format, encoding): recorder}."""
    return {(f, e): procs.recorder(url, f"{stem}-{f}-{e}", f"{stem}-{f}-{e}.{f}", "--encoding", e, fmt=f)
            for f in FORMATS for e in ENCODINGS}


def recorded(fmt, path, length=10):
    """{seq: arrays} of a recording in `fmt`, read by the strict readers of conftest."""
    if fmt == "jsonl":
        return {p["seq"]: p["arrays"] for p in read_jsonl(path) if "event" not in p}
    if fmt == "txt":
        return {r[3]: r[1] for r in read_txt(path) if r[0] == "packet"}
    packets, _ = read_csv(path, length)
    return {seq: arrays for _, seq, arrays in packets}


def kinds(arrays):
    return [[type(v).__name__ for v in a] for a in arrays]


def test_the_random_source_records_alike_in_every_format_from_both_encodings(procs):
    server = procs.server(interval="20ms")
    recorders = record_all(procs, server.url, "random")
    for r in recorders.values():
        r.wait_lines(30)
    files = {}
    for (f, e), r in recorders.items():
        assert r.stop() == 0, r.stderr()
        assert "ignoring a message" not in r.stderr(), r.stderr()
        files[f, e] = recorded(f, r.out)
        assert files[f, e], f"{f}/{e} recorded no packet"
        for seq, arrays in files[f, e].items():
            check_packet({"seq": seq, "ts": 1_700_000_000_000_000, "arrays": arrays})
    common = set.intersection(*(set(x) for x in files.values()))
    assert len(common) >= 5, f"the recordings overlap in only {len(common)} packets"
    for seq in common:
        assert len({json.dumps(x[seq]) for x in files.values()}) == 1, f"packet {seq} differs between recordings"


# --------------------------------------------------------------------------- from stdin

def has_stdin_source():
    if BIN is None or not os.path.exists(BIN):
        return False
    text = subprocess.run([BIN, "serve", "--help"], capture_output=True, text=True, timeout=10).stdout
    return re.search(r"--source\b[^\n]*\bstdin\b", text) is not None


needs_stdin = pytest.mark.skipif(not has_stdin_source(), reason="this arraycast has no `serve --source stdin` yet")

# What a producer prints, one packet per line, and what every client and file must hold.
# Doubles stay doubles even when whole (2.0); a packet that mixes the kinds goes as JSON
# text to binary clients too.
LINES = ["[[1,2,3],[4,5,6]]", "[[2.5,-0.5],[1e300]]", "[[1],[],[2,3,4]]", "[[2.0,3.0]]", "[[1,2.5],[7]]",
         "[[-9223372036854775808,9223372036854775807]]", "[[0.1,5e-324]]"]
EXPECTED = [json.loads(line) for line in LINES]


@pytest.fixture
def producer(tmp_path):
    """A FIFO for a server's stdin and this test's end of it, opened read-write
    so that the server's shell never waits for a writer."""
    fifo = tmp_path / "producer.fifo"
    os.mkfifo(fifo)
    fd = os.open(fifo, os.O_RDWR)
    yield fifo, fd
    os.close(fd)


def stdin_server(procs, tmp_path, fifo):
    """`serve --source stdin` reading `fifo`."""
    command = f'exec "{BIN}" serve --host 127.0.0.1 --port 0 --source stdin < "{fifo}"'
    server = Server.__new__(Server)
    procs.started.append(server)  # stopped by PID at teardown, like every process the fixture starts
    server.__init__(["/bin/sh", "-c", command], tmp_path, "server-stdin")
    return server


async def collect(url, encoding, n):
    """n packets after a hello asking for `encoding`: [(arrays, was_binary)]."""
    ws = await connect(url)
    welcome = await recv_json(ws)
    assert welcome["source"] == "stdin" and welcome["interval_us"] == 0, welcome
    assert not {"arrays", "length", "min", "max"} & set(welcome), f"only the random source promises a shape: {welcome}"
    await ws.send(json.dumps({"type": "hello", "name": f"stdin-{encoding}", "encoding": encoding}))
    got = []
    while len(got) < n:
        m = await asyncio.wait_for(ws.recv(), 10 * SLOW)
        got.append((unpack_packet(m)[2], True) if isinstance(m, bytes) else (json.loads(m)["arrays"], False))
    await ws.close()
    return got


@needs_stdin
def test_doubles_and_ragged_arrays_from_stdin_reach_clients_and_files_with_their_kinds(procs, tmp_path, producer):
    fifo, to_server = producer
    server = stdin_server(procs, tmp_path, fifo)
    recorders = record_all(procs, server.url, "stdin")
    names = [f"stdin-{f}-{e}" for f in FORMATS for e in ENCODINGS]
    wait_until(lambda: all(f"{n} (" in server.output() for n in names), 10, "every recorder's hello")

    async def clients_then_produce():
        tasks = [asyncio.create_task(collect(server.url, e, len(LINES))) for e in ENCODINGS]
        await asyncio.to_thread(wait_until, lambda: server.output().count("said hello") >= len(names) + 2, 10,
                                "the clients' hellos")
        os.write(to_server, ("\n".join(LINES) + "\n").encode())
        return await asyncio.gather(*tasks)

    by_json, by_binary = run(clients_then_produce())
    assert [a for a, _ in by_json] == EXPECTED and [a for a, _ in by_binary] == EXPECTED
    assert [kinds(a) for a, _ in by_json] == [kinds(a) for a in EXPECTED], "JSON keeps every value's kind"
    assert [kinds(a) for a, _ in by_binary] == [kinds(a) for a in EXPECTED], "binary keeps every value's kind"
    assert [binary for _, binary in by_binary] == [True, True, True, True, False, True, True], \
        "only the packet that mixes ints and doubles has no binary form"

    for name in names:  # a recorder acks a packet once its lines are written
        server.wait_output(rf"{name} received packet {len(LINES)}\b", 10, f"{name}'s last ack")
    for (f, e), r in recorders.items():
        assert r.stop() == 0, r.stderr()
        got = [arrays for _, arrays in sorted(recorded(f, r.out, None).items())]
        assert got == EXPECTED, f"{f}/{e}: {got}"
        assert [kinds(a) for a in got] == [kinds(a) for a in EXPECTED], f"{f}/{e} keeps every value's kind"
