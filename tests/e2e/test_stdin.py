"""`serve --source stdin`: a producer's lines become the stream. Every client
(JSON, binary, each recorder format) gets exactly the producer's packets,
with each value's kind (integer or double) and the producer's own ts; bad
lines are counted and skipped; EOF ends the source but not the server."""

import asyncio
import json
import re
import subprocess
import textwrap
from pathlib import Path

from conftest import RSS_SLACK_KIB, SLOW, connect, recv_json, run, wait_until, read_jsonl, jsonl_packets
from test_encoding import unpack_packet
from test_endpoints import get

PYTHON = "/usr/bin/python3"

# What a producer prints, one packet a line, read with --arrays 3: the lines
# of plain numbers are grouped three by three.
LINES = [
    '{"arrays": [[1, 2, 3], [4, 5, 6]], "ts": 1700000000000001}',
    "[[1.5, -2.25], [3.0]]",
    "7 8 9", "10,11,12", "13 14 15",
    "0.5 1e3 -2", "2.5", "1.0,2",
    "[[9007199254740993, -9223372036854775808]]",
    '{"arrays": [[-1], [2.5, 3.5, 4.5, 5.5]], "ts": 1700000000000002}',
]
# (arrays, the producer's ts or None), the kinds as Python reads them from JSON.
EXPECTED = [
    ([[1, 2, 3], [4, 5, 6]], 1700000000000001),
    ([[1.5, -2.25], [3.0]], None),
    ([[7, 8, 9], [10, 11, 12], [13, 14, 15]], None),
    ([[0.5, 1000.0, -2], [2.5], [1.0, 2]], None),
    ([[9007199254740993, -9223372036854775808]], None),
    ([[-1], [2.5, 3.5, 4.5, 5.5]], 1700000000000002),
]

# A producer that waits for "go" on its stdin, prints LINES and exits.
GENERATOR = textwrap.dedent("""
    import sys
    lines = {lines!r}
    sys.stdin.readline()
    for line in lines:
        print(line, flush=True)
""")


def typed(arrays):
    """The values with their kinds, so that 1 and 1.0 differ."""
    return [[(type(v).__name__, v) for v in a] for a in arrays]


def check_packets(received, what, ts_from_server=None):
    """`received`: [(seq, ts, arrays)] in order. Exactly EXPECTED, seq 1.., kinds and producer ts kept."""
    assert [seq for seq, _, _ in received] == list(range(1, len(EXPECTED) + 1)), what
    for (seq, ts, arrays), (want, want_ts) in zip(received, EXPECTED):
        assert typed(arrays) == typed(want), f"{what}: packet {seq}"
        if want_ts is not None:
            assert ts == want_ts, f"{what}: packet {seq} lost the producer's ts"
        else:
            assert ts > 1_700_000_000_000_002, f"{what}: packet {seq} has no server ts: {ts}"


def number(text):
    return float(text) if re.search(r"[.eEn]", text) else int(text)


def read_txt_packets(path):
    """[(seq, None, arrays)] of a txt recording (txt has no producer ts)."""
    packets = []
    for line in Path(path).read_text().splitlines():
        if m := re.match(r"^# packet (\d+) epoch \d+ : ", line):
            packets.append((int(m.group(1)), None, []))
        elif m := re.match(r"^\[(.*)\] : ", line):
            packets[-1][2].append([number(v) for v in m.group(1).split()])
    return packets


def read_csv_packets(path):
    """[(seq, ts, arrays)] of a csv recording; ragged rows have fewer value columns."""
    packets = []
    for line in Path(path).read_text().splitlines()[1:]:
        if line.startswith("#"):
            continue
        seq, _epoch, index, _count, ts, _recv, *values = line.split(",")
        if index == "0":
            packets.append((int(seq), int(ts), []))
        packets[-1][2].append([number(v) for v in values])
    return packets


async def live_client(url, encoding, ready):
    """Connects, says hello, sets `ready`; returns [(seq, ts, arrays)] of len(EXPECTED) packets."""
    ws = await connect(url)
    assert (await recv_json(ws))["type"] == "welcome"
    await ws.send(json.dumps({"type": "hello", "name": f"py-{encoding}", "encoding": encoding}))
    ready.set()
    got = []
    while len(got) < len(EXPECTED):
        message = await asyncio.wait_for(ws.recv(), 10 * SLOW)
        if isinstance(message, bytes):
            assert encoding == "binary"
            seq, ts, arrays, _ = unpack_packet(message)
        else:
            p = json.loads(message)  # a packet of both kinds goes as JSON to every client
            assert p["type"] == "packet", p
            seq, ts, arrays = p["seq"], p["ts"], p["arrays"]
        got.append((seq, ts, arrays))
    await ws.close()
    return got


def start_generator(tmp_path):
    script = tmp_path / "sensor.py"
    script.write_text(GENERATOR.format(lines=LINES))
    return subprocess.Popen([PYTHON, str(script)], stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def clients_named(server, names):
    status, _, body = get(server, "/clients")
    return status == 200 and names <= {c["name"] for c in json.loads(body)}


def healthz(server):
    return json.loads(get(server, "/healthz")[2])


def test_every_client_and_recorder_gets_exactly_the_producers_packets(procs, tmp_path):
    gen = start_generator(tmp_path)
    try:
        server = procs.server("--source", "stdin", "--arrays", "3", stdin=gen.stdout)
        gen.stdout.close()
        recorders = {fmt: procs.recorder(server.url, f"rec-{fmt}", f"rec.{fmt}", fmt=fmt) for fmt in ("txt", "jsonl", "csv")}

        async def scenario():
            ready = [asyncio.Event(), asyncio.Event()]
            clients = [asyncio.create_task(live_client(server.url, e, r)) for e, r in zip(("json", "binary"), ready)]
            for r in ready:
                await asyncio.wait_for(r.wait(), 5 * SLOW)
            names = {"py-json", "py-binary", "rec-txt", "rec-jsonl", "rec-csv"}
            await asyncio.to_thread(wait_until, lambda: clients_named(server, names), 10, "every client's hello")
            gen.stdin.write(b"go\n")
            gen.stdin.close()
            return await asyncio.gather(*clients)

        by_json, by_binary = run(scenario())
        check_packets(by_json, "json client")
        check_packets(by_binary, "binary client")
        assert gen.wait(10 * SLOW) == 0
        wait_until(lambda: healthz(server)["source"] == "ended", 5, "/healthz to say the source ended")
        wait_until(lambda: len(jsonl_packets(read_jsonl(recorders["jsonl"].out, strict=False))) == len(EXPECTED), 10,
                   "the jsonl recorder to write every packet")
        jsonl = [(p["seq"], p["ts"], p["arrays"]) for p in jsonl_packets(read_jsonl(recorders["jsonl"].out, strict=False))]
        check_packets(jsonl, "jsonl recording")
        wait_until(lambda: len(read_csv_packets(recorders["csv"].out)) == len(EXPECTED)
                   and len(read_csv_packets(recorders["csv"].out)[-1][2]) == 2, 10, "the csv recorder")
        check_packets(read_csv_packets(recorders["csv"].out), "csv recording")
        wait_until(lambda: Path(recorders["txt"].out).read_text().count("# packet") == len(EXPECTED)
                   and Path(recorders["txt"].out).read_text().endswith("\n\n"), 10, "the txt recorder")
        txt = read_txt_packets(recorders["txt"].out)
        assert [(s, typed(a)) for s, _, a in txt] == [(i + 1, typed(a)) for i, (a, _) in enumerate(EXPECTED)]
    finally:
        gen.kill()
        gen.wait()


async def replay_from_start(url):
    """A client that arrives after the end and asks for everything from seq 1."""
    ws = await connect(url)
    welcome = await recv_json(ws)
    await ws.send(json.dumps({"type": "hello", "name": "late", "epoch": welcome["epoch"], "last_seq": 0}))
    got = []
    while len(got) < welcome["head"]:
        p = await recv_json(ws)
        got.append((p["seq"], p["ts"], p["arrays"]))
    await ws.close()
    return welcome, got


def test_a_regular_file_on_stdin_is_streamed_and_its_end_leaves_history_served(procs, tmp_path):
    data = tmp_path / "input.txt"
    data.write_text("\n".join(LINES) + "\n")
    with open(data, "rb") as stdin:
        server = procs.server("--source", "stdin", "--arrays", "3", stdin=stdin)
    wait_until(lambda: healthz(server)["source"] == "ended", 10, "/healthz to say the source ended")
    welcome, got = run(replay_from_start(server.url))
    assert welcome["head"] == len(EXPECTED) and welcome["source"] == "stdin", welcome
    check_packets(got, "a client after the end")
    assert server.running()


def test_exit_on_eof_exits_0_once_the_recorder_has_every_packet(procs, tmp_path):
    gen = start_generator(tmp_path)
    try:
        server = procs.server("--source", "stdin", "--arrays", "3", "--exit-on-eof", stdin=gen.stdout)
        gen.stdout.close()
        rec = procs.recorder(server.url, "rec")
        wait_until(lambda: clients_named(server, {"rec"}), 10, "the recorder's hello")
        gen.stdin.write(b"go\n")
        gen.stdin.close()
        assert server.wait_exit(10) == 0
    finally:
        gen.kill()
        gen.wait()
    check_packets([(p["seq"], p["ts"], p["arrays"]) for p in jsonl_packets(read_jsonl(rec.out, strict=False))],
                  "the recording")


def rejected_counts(server):
    """{reason: count} of arraycast_source_rejected_total."""
    text = get(server, "/metrics")[2]
    return {m.group(1): int(float(m.group(2)))
            for m in re.finditer(r'^arraycast_source_rejected_total\{reason="(\w+)"\} (\S+)$', text, re.M)}


# Each bad line, and the reason it is counted under.
BAD_LINES = [
    ("{oops", "not_a_packet"),
    ("[[1, NaN]]", "not_a_packet"),  # NaN is not JSON
    ('{"arrays": [[1]], "ts": "now"}', "not_a_packet"),
    ("1 nan 3", "bad_value"),
    ("4 inf", "bad_value"),
    ("[[1e999]]", "bad_value"),  # a JSON number beyond a double is infinite
    ('[["a", 1]]', "bad_value"),
    ("x" * 5_000_000, "too_long"),  # over --max-input, and skipped unread
    ("0," * 1_000_001, "too_many_values"),  # under --max-input, over max_packet_values
]


async def collect(url, n):
    ws = await connect(url)
    welcome = await recv_json(ws)
    await ws.send(json.dumps({"type": "hello", "name": "late", "epoch": welcome["epoch"], "last_seq": 0}))
    got = [await recv_json(ws, 10) for _ in range(n)]
    await ws.close()
    return got


def test_every_kind_of_bad_line_is_counted_and_the_next_good_line_streams(procs):
    server = procs.server("--source", "stdin", "--max-input", str(4 << 20), stdin=subprocess.PIPE)
    feed = server.popen.stdin
    for i, (line, _) in enumerate(BAD_LINES):
        feed.write(f"{line}\n[[{i}]]\n".encode())
        feed.flush()
    wait_until(lambda: sum(rejected_counts(server).values()) == len(BAD_LINES), 10, "every bad line to be counted")
    got = run(collect(server.url, len(BAD_LINES)))
    assert [(p["type"], p["seq"], p["arrays"]) for p in got] == [("packet", i + 1, [[i]]) for i in range(len(BAD_LINES))]
    want = {}
    for _, reason in BAD_LINES:
        want[reason] = want.get(reason, 0) + 1
    assert {r: n for r, n in rejected_counts(server).items() if n} == want
    assert "source input rejected (too_long)" in server.stdout()
    feed.close()
    wait_until(lambda: healthz(server)["source"] == "ended", 5, "EOF to end the source")


def test_a_line_far_over_max_input_is_never_held_in_memory(procs):
    server = procs.server("--source", "stdin", "--max-input", str(1 << 20), stdin=subprocess.PIPE)
    feed = server.popen.stdin
    feed.write(b"[[1]]\n")
    feed.flush()
    assert run(collect(server.url, 1))[0]["arrays"] == [[1]]
    before = server.rss_kib()
    line_kib = 10 * 1024 + 2 * RSS_SLACK_KIB
    chunk = b"7 " * 512 * 64  # 64 KiB
    for _ in range(line_kib // 64):
        feed.write(chunk)
    feed.write(b"\n[[2]]\n")
    feed.flush()
    got = run(collect(server.url, 2))
    assert [p["arrays"] for p in got] == [[[1]], [[2]]]
    assert rejected_counts(server).get("too_long") == 1
    grown = server.rss_kib() - before
    assert grown < 4 * 1024 + RSS_SLACK_KIB, f"RSS grew by {grown} KiB reading a line of {line_kib} KiB"
