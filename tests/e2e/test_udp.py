"""`serve --source udp:HOST:PORT`: one packet per datagram, as a JSON or numbers
line or as a binary packet (layout v2 of docs/PROTOCOL.md, built here with
struct from the document); malformed datagrams are counted and the stream goes
on; datagrams the kernel drops become a gap with an exact count."""

import asyncio
import json
import re
import signal
import socket
import struct
import time
from pathlib import Path

from conftest import BIN, HOST, SLOW, connect, hello, recv_json, run, wait_until
from test_endpoints import get

PROBE = [[-1]]  # sent until a client is known to receive, then left out of the comparison


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def binary_packet(arrays, ts=0, seq=1, width=8, floats=False):
    """A binary packet, layout v2: the 24-byte header <version, width, kind,
    shape, count, seq, ts>, one u32 length (or one per array when ragged),
    then the values, little-endian."""
    ragged = len({len(a) for a in arrays}) > 1
    lengths = [len(a) for a in arrays] if ragged else [len(arrays[0])]
    value = "d" if floats else {1: "b", 2: "h", 4: "i", 8: "q"}[width]
    data = struct.pack("<BBBBIQq", 2, 8 if floats else width, int(floats), int(ragged), len(arrays), seq, ts)
    data += struct.pack(f"<{len(lengths)}I", *lengths)
    for a in arrays:
        data += struct.pack(f"<{len(a)}{value}", *a)
    return data


class Sender:
    def __init__(self, port):
        self.address = (HOST, port)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    def send(self, data):
        self.sock.sendto(data.encode() if isinstance(data, str) else data, self.address)


def udp_server(procs, *extra):
    port = free_udp_port()
    server = procs.server("--source", f"udp:{HOST}:{port}", "--max-queue", "10000", *extra)
    server.wait_output(rf"udp source: receiving on {HOST}:{port}")
    return server, Sender(port)


async def receiving(ws, sender):
    """Sends probes until one arrives, so that what is sent next is live for `ws`."""
    while True:
        sender.send(json.dumps(PROBE))
        try:
            m = await asyncio.wait_for(ws.recv(), 0.2 * SLOW)
        except asyncio.TimeoutError:
            continue
        if json.loads(m).get("type") == "packet":
            return


MARKER = [[424242]]


async def collect(ws, sender):
    """Sends a marker datagram; returns the packets and gaps that came before
    it (after the probes): everything sent before the marker."""
    sender.send(json.dumps(MARKER))
    got = []
    while (m := await recv_json(ws, timeout=10)).get("arrays") != MARKER:
        if m.get("arrays") != PROBE:
            got.append(m)
    return got


def typed(arrays):
    """Values with their kind: 1 and 1.0 are not the same value here."""
    return [[(type(v).__name__, v) for v in a] for a in arrays]


def recorder_receiving(rec, sender):
    def probed():
        sender.send(json.dumps(PROBE))
        return any(p["arrays"] == PROBE for p in rec.packets())
    wait_until(probed, 10, "the recorder to receive a probe", interval=0.1)


def rejected(server, reason):
    body = get(server, "/metrics")[2]
    m = re.search(rf'^arraycast_source_rejected_total{{reason="{reason}"}} (\d+)$', body, re.M)
    return int(m.group(1))


def metric_value(server, name):
    return int(re.search(rf"^{name} (\d+)$", get(server, "/metrics")[2], re.M).group(1))


SENT = [
    # (datagram, arrays the stream carries, the producer's ts or None)
    ('[[1,2,3],[4.5,-6]]', [[1, 2, 3], [4.5, -6]], None),
    ('{"arrays":[[7,8]],"ts":1764000000123456}', [[7, 8]], 1764000000123456),
    ("10 20 30", [[10, 20, 30]], None),
    ("1.5,2.5", [[1.5, 2.5]], None),
    (binary_packet([[1, -2, 3], [4, 5, 6]], ts=1764000000654321, seq=99, width=1), [[1, -2, 3], [4, 5, 6]],
     1764000000654321),
    (binary_packet([[0.25], [1e300, -3.5, 2.0]], floats=True), [[0.25], [1e300, -3.5, 2.0]], None),
    (binary_packet([[2**62, -(2**63)]], ts=1764000000000001, width=8), [[2**62, -(2**63)]], 1764000000000001),
]


def test_json_numbers_and_binary_datagrams_arrive_intact(procs):
    server, sender = udp_server(procs)
    rec = procs.recorder(server.url, "rec")
    recorder_receiving(rec, sender)

    async def scenario():
        ws = await connect(server.url)
        await hello(ws, "viewer")
        await receiving(ws, sender)
        start = time.time() * 1e6
        for datagram, _, _ in SENT:
            sender.send(datagram)
        got = await collect(ws, sender)
        await ws.close()
        return start, got

    start, got = run(scenario())
    packets = [m for m in got if m["type"] == "packet"]
    assert [typed(p["arrays"]) for p in packets] == [typed(arrays) for _, arrays, _ in SENT]
    for p, (_, _, ts) in zip(packets, SENT):
        if ts is None:
            assert start <= p["ts"] <= time.time() * 1e6, f"ts {p['ts']} is not the time of arrival"
        else:
            assert p["ts"] == ts
    assert [p["seq"] for p in packets] == list(range(packets[0]["seq"], packets[0]["seq"] + len(packets)))
    recorded = wait_until(lambda: (lambda r: len(r) > len(SENT) and r)(
        [p for p in rec.packets() if p["arrays"] != PROBE]), 10, "the recorder to record every datagram")
    assert [typed(p["arrays"]) for p in recorded] == [typed(arrays) for _, arrays, _ in SENT] + [typed(MARKER)]
    assert [p["ts"] for p in recorded[:-1]] == [p["ts"] for p in packets]


def test_malformed_datagrams_are_counted_and_the_stream_goes_on(procs):
    server, sender = udp_server(procs, "--max-input", "1000")

    async def scenario():
        ws = await connect(server.url)
        await hello(ws, "viewer")
        await receiving(ws, sender)
        good = binary_packet([[5, 6]], width=2)
        sender.send("hello there")                        # not_a_packet
        sender.send("[[1, NaN]]")                         # not_a_packet or bad_value
        sender.send(good[:-1])                            # bad_binary: a value cut short
        sender.send(b"\x01" + good[1:])                   # bad_binary: layout version 1
        sender.send(b"\x02" * 5)                          # bad_binary: shorter than a header
        sender.send(json.dumps([[1] * 600]))              # too_long: 1801 bytes
        sender.send(b"\x02" + b"\x00" * 4999)             # too_long: bigger than the receive buffer
        sender.send(good)
        m = await recv_json(ws)
        while m.get("arrays") == PROBE:
            m = await recv_json(ws)
        await ws.close()
        return m

    m = run(scenario())
    assert m["type"] == "packet" and m["arrays"] == [[5, 6]], m
    assert rejected(server, "bad_binary") == 3
    assert rejected(server, "too_long") == 2
    assert rejected(server, "not_a_packet") + rejected(server, "bad_value") == 2
    server.wait_output(r"a datagram of 5000 bytes; --max-input is 1000")
    assert server.running()


def test_datagrams_the_kernel_drops_become_a_gap_with_their_count(procs):
    """A stopped server cannot read: its receive buffer fills and the kernel
    drops the rest. What arrives plus the gap is exactly what was sent."""
    server, sender = udp_server(procs)
    buffer = int(server.wait_output(r"kernel receive buffer (\d+) KiB").group(1)) * 1024
    datagram = json.dumps([[0] + [0] * 2600])  # 7.8 kB: its kernel truesize is larger still
    burst = max(2000, 3 * buffer // len(datagram))

    async def scenario():
        ws = await connect(server.url)
        await hello(ws, "viewer")
        await receiving(ws, sender)
        server.send_signal(signal.SIGSTOP)
        wait_until(lambda: Path(f"/proc/{server.pid}/stat").read_text().split(") ")[1][0] == "T", 5, "the stop")
        for i in range(burst):
            sender.send(json.dumps([[i] + [0] * 2600]))
        server.send_signal(signal.SIGCONT)
        got = await collect(ws, sender)
        await ws.close()
        return got

    got = run(scenario(), timeout=40)
    packets = [m for m in got if m["type"] == "packet"]
    gaps = [m for m in got if m["type"] == "gap"]
    lost = sum(g["to"] - g["from"] + 1 for g in gaps)
    assert lost > 0, "no gap: the burst fit in the receive buffer, or the drops went uncounted"
    assert len(packets) + lost == burst
    assert [p["arrays"][0][0] for p in packets] == sorted(p["arrays"][0][0] for p in packets)
    assert metric_value(server, "arraycast_source_lost_total") == lost
    assert all("kernel" in g["reason"] for g in gaps), gaps


def test_bad_addresses_are_refused_with_a_message(procs, tmp_path):
    import subprocess
    cases = {
        "udp:localhost:9000": "IPv4 or IPv6 address",
        "udp:127.0.0.1:0": "PORT from 1 to 65535",
        "udp:127.0.0.1:70000": "PORT from 1 to 65535",
        "udp:9000": "HOST and a PORT",
        "udp:[::1]:x": "PORT from 1 to 65535",
    }
    for spec, message in cases.items():
        r = subprocess.run([BIN, "serve", "--port", "0", "--source", spec], capture_output=True, text=True,
                           timeout=10 * SLOW)
        assert r.returncode != 0 and message in r.stderr + r.stdout, (spec, r.stderr)
        assert "--source" in r.stderr + r.stdout, (spec, r.stderr)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as taken:
        taken.bind((HOST, 0))
        r = subprocess.run([BIN, "serve", "--host", HOST, "--port", "0", "--source",
                            f"udp:{HOST}:{taken.getsockname()[1]}"], capture_output=True, text=True, timeout=10 * SLOW)
    assert r.returncode == 1 and "cannot bind" in r.stderr, r.stderr


def test_ipv6_literal(procs):
    try:
        probe = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        probe.bind(("::1", 0))
        port = probe.getsockname()[1]
        probe.close()
    except OSError:
        import pytest
        pytest.skip("no IPv6 loopback")
    server = procs.server("--source", f"udp:[::1]:{port}")
    server.wait_output(rf"udp source: receiving on ::1:{port}")
    sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)

    async def scenario():
        ws = await connect(server.url)
        await hello(ws, "viewer")
        while True:
            sock.sendto(b"[[6,6]]", ("::1", port))
            try:
                m = json.loads(await asyncio.wait_for(ws.recv(), 0.2 * SLOW))
            except asyncio.TimeoutError:
                continue
            await ws.close()
            return m

    assert run(scenario())["arrays"] == [[6, 6]]
