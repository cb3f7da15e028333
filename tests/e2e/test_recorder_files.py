"""Recording files across restarts and misuse: every format resumes from its
own file, a file has one recorder at a time, and a file that is not a
recording is refused, never cut."""

import asyncio
import json
import time

import pytest
import websockets

from conftest import HOST, SLOW, assert_contiguous, read_csv, read_jsonl, read_txt, run, wait_until


def recorded_seqs(path):
    """(epoch or segment, seq) of every packet in a txt or csv recording, in file order."""
    if path.suffix == ".txt":
        return [(r[4], r[3]) for r in read_txt(path) if r[0] == "packet"]
    return [(segment, seq) for segment, seq, _ in read_csv(path)[0]]


def gap_lines(path):
    return [line for line in path.read_text().splitlines() if line.startswith("# gap")]


@pytest.mark.parametrize("out", ["again.txt", "again.csv"])
def test_restarted_recorder_resumes_from_its_own_file(procs, out):
    server = procs.server()
    first = procs.recorder(server.url, "again", out)
    wait_until(lambda: first.out.exists() and len(recorded_seqs(first.out)) >= 5, 10, "5 packets")
    first.kill()
    before = recorded_seqs(first.out)
    last = before[-1][1]

    time.sleep(1.0)  # the outage: about 10 packets the server keeps in history
    second = procs.recorder(server.url, "again", out)
    server.wait_output(rf"again \(127\.0\.0\.1:\d+\) said hello, resuming after packet {last}: \d+ to replay", 5)
    wait_until(lambda: len(recorded_seqs(second.out)) >= len(before) + 15, 10, "packets after the restart")
    assert second.stop() == 0

    seqs = recorded_seqs(second.out)
    assert len({epoch for epoch, _ in seqs}) == 1, seqs
    assert_contiguous([seq for _, seq in seqs])
    assert gap_lines(second.out) == []


def test_a_second_recorder_on_the_same_file_is_refused(procs):
    server = procs.server()
    first = procs.recorder(server.url, "one", "shared.jsonl")
    first.wait_packets(3)
    second = procs.recorder(server.url, "two", "shared.jsonl")
    assert second.wait_exit(5) != 0
    assert "another recorder is writing to" in second.stderr() and "shared.jsonl" in second.stderr()

    count = len(first.packets())
    first.wait_packets(count + 5)
    assert first.stop() == 0
    lines = read_jsonl(first.out)
    assert_contiguous([x["seq"] for x in lines if "seq" in x])
    assert [x["event"] for x in lines if "event" in x] == ["connected", "disconnected"]
    server.wait_output(r"one \(127\.0\.0\.1:\d+\) said hello", 1)
    assert "two (127.0.0.1" not in server.stdout(), "the refused recorder must not connect"


@pytest.mark.parametrize("out", ["data.txt", "data.jsonl", "data.csv"])
@pytest.mark.parametrize("content", [b"\x7fELF\x02\x01\x01\x00binary without a newline",
                                     b"2026-01-01 12:00:00 service started\nsecond line\n"], ids=["binary", "log"])
def test_a_file_that_is_not_a_recording_is_refused_and_left_as_it_was(procs, out, content):
    server = procs.server()
    path = procs.workdir / out
    path.write_bytes(content)
    rec = procs.recorder(server.url, "r", out)
    assert rec.wait_exit(5) != 0
    assert f"is not a {path.suffix[1:]} recording" in rec.stderr(), rec.stderr()
    assert path.read_bytes() == content


FORGED = "\n# packet 99 epoch 5 : 1.000000\n[7 7] : 1.000000\n\n99,5,0,1,1,1,7,7\n"


@pytest.mark.parametrize("out", ["forged.txt", "forged.csv"])
def test_what_the_server_says_cannot_forge_lines_in_the_file(procs, out):
    """A gap reason and a close reason with line breaks stay on their own line."""
    async def stream(ws):
        await ws.send(json.dumps({"type": "welcome", "epoch": 5, "head": 0, "history": 0, "arrays": 1, "length": 2}))
        await ws.recv()  # the hello
        await ws.send(json.dumps({"type": "packet", "seq": 1, "ts": 1, "arrays": [[1, 2]]}))
        await ws.send(json.dumps({"type": "gap", "from": 2, "to": 3, "reason": "lost" + FORGED}))
        await ws.send(json.dumps({"type": "packet", "seq": 4, "ts": 4, "arrays": [[3, 4]]}))
        await asyncio.sleep(0.3 * SLOW)
        await ws.close(4500, "bye" + FORGED[:60])  # 4500-4999: the recorder does not reconnect

    async def scenario():
        async with websockets.serve(stream, HOST, 0) as server:
            port = server.sockets[0].getsockname()[1]
            rec = procs.recorder(f"ws://{HOST}:{port}/", "r", out)
            while rec.running():
                await asyncio.sleep(0.05)
            return rec

    rec = run(scenario())
    assert rec.popen.returncode == 1, rec.stderr()
    if out.endswith(".txt"):
        records = read_txt(rec.out)  # strict: a forged line would be a packet or break the parse
        assert [r[3] for r in records if r[0] == "packet"] == [1, 4]
        events = [r[1] for r in records if r[0] == "event"]
    else:
        rows, events = read_csv(rec.out, length=2)
        assert [seq for _, seq, _ in rows] == [1, 4]
    assert len(events) == 3, events  # connected, the gap, disconnected
    assert "\\n# packet 99" in events[1] and "\\n# packet 99" in events[2], events
