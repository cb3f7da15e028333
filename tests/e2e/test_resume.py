"""Issue 4, resume with no loss: a paused or restarted recorder ends up with
every packet exactly once, or with a gap event whose bounds are exact, and a
resuming client gets exactly what it missed, in order, before live packets."""

import asyncio
import json
import signal
import time

import pytest

from conftest import (SLOW, assert_contiguous, by_epoch, connect, hello, read_jsonl, recv_json, run, wait_until)


def test_sigstop_then_sigcont_loses_and_repeats_nothing(procs):
    server = procs.server()  # default ping: 10 s + 10 s, far beyond the pause
    rec = procs.recorder(server.url, "paused")
    before = rec.wait_packets(5)[-1]["seq"]

    rec.send_signal(signal.SIGSTOP)
    time.sleep(1.5)  # the outage itself: 15 intervals
    rec.send_signal(signal.SIGCONT)

    wait_until(lambda: rec.packets()[-1]["seq"] >= before + 20, 5, "packets after the pause")
    assert rec.stop() == 0
    lines = read_jsonl(rec.out)
    assert_contiguous(by_epoch(rec.packets())[server.epoch])
    assert [x["event"] for x in lines if "event" in x] == ["connected", "disconnected"]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_restarted_recorder_resumes_from_its_files_tail(procs, sig):
    server = procs.server()
    first = procs.recorder(server.url, "again", "again.jsonl")
    first.wait_packets(5)
    first.send_signal(sig)
    first.wait_exit()
    last = first.packets()[-1]["seq"]
    count = len(first.packets())

    time.sleep(1.0)  # the outage: about 10 packets the server keeps in history
    second = procs.recorder(server.url, "again", "again.jsonl")
    second.wait_output(rf"already holds packets up to seq {last}; resuming", 5)
    packets = second.wait_packets(count + 15)
    server.wait_output(rf"again \(127\.0\.0\.1:\d+\) said hello, resuming after packet {last}: \d+ to replay", 5)
    assert second.stop() == 0

    seqs = by_epoch(packets)[server.epoch]
    assert_contiguous(seqs)
    assert seqs[0] <= last < seqs[-1] - 10
    assert second.events("gap") == []


def test_short_history_writes_a_gap_with_exact_bounds_then_continues(procs):
    server = procs.server("--history", "5")
    first = procs.recorder(server.url, "short", "short.jsonl")
    first.wait_packets(3)
    first.kill()
    last = first.packets()[-1]["seq"]
    count = len(first.packets())

    time.sleep(1.5)  # about 15 packets: 10 more than the history holds
    second = procs.recorder(server.url, "short", "short.jsonl")
    wait_until(lambda: second.events("gap") and len(second.packets()) >= count + 8, 10,
               "a gap and then packets")
    hello_line = server.wait_output(rf"short \(127\.0\.0\.1:\d+\) said hello, resuming after packet {last}: (\d+) "
                                    r"to replay", 5)
    assert int(hello_line.group(1)) == 5, "the server replays all the history it still holds"
    assert second.stop() == 0

    lines = read_jsonl(second.out)
    gaps = second.events("gap")
    assert len(gaps) == 1, gaps
    gap = gaps[0]
    i_gap = lines.index(gap)
    before = [x for x in lines[:i_gap] if "seq" in x]
    after = [x for x in lines[i_gap:] if "seq" in x]
    assert gap["from"] == before[-1]["seq"] + 1 == last + 1
    assert gap["to"] == after[0]["seq"] - 1
    assert gap["to"] >= gap["from"], "more was missed than the history holds"
    assert gap["reason"] == "history"
    assert_contiguous([x["seq"] for x in before])
    assert_contiguous([x["seq"] for x in after])
    assert len(after) >= 8


def collect(ws, n, ack=True):
    """Reads n messages, acknowledging packets; returns them."""
    async def go():
        out = []
        while len(out) < n:
            m = await recv_json(ws)
            out.append(m)
            if ack and m["type"] == "packet":
                await ws.send(json.dumps({"type": "ack", "seq": m["seq"]}))
        return out
    return go()


def test_python_client_resuming_gets_exactly_the_missing_packets_first(procs):
    server = procs.server()

    async def scenario():
        ws = await connect(server.url)
        welcome = await hello(ws, "py")
        first = await collect(ws, 3)
        await ws.close()
        last = first[-1]["seq"]
        await asyncio.sleep(1.0)  # about 10 packets go by

        ws = await connect(server.url)
        welcome = await hello(ws, "py", epoch=welcome["epoch"], last_seq=last)
        assert welcome["head"] >= last + 5
        start = time.monotonic()
        replay = await collect(ws, welcome["head"] - last)
        replay_time = time.monotonic() - start
        live = await collect(ws, 5)
        await ws.close()
        return last, welcome["head"], replay, replay_time, live

    last, head, replay, replay_time, live = run(scenario())
    assert all(m["type"] == "packet" for m in replay + live), [m["type"] for m in replay + live]
    seqs = [m["seq"] for m in replay + live]
    assert seqs[0] == last + 1
    assert_contiguous(seqs)
    assert [m["seq"] for m in replay] == list(range(last + 1, head + 1))
    # Replayed at once, not at the stream's pace (10 packets would take 1 s live).
    assert replay_time < 0.5 * SLOW


def test_python_client_resuming_past_the_history_gets_a_gap_then_what_is_held(procs):
    server = procs.server("--history", "5")

    async def scenario():
        ws = await connect(server.url)
        welcome = await hello(ws, "py")
        last = (await collect(ws, 2))[-1]["seq"]
        await ws.close()
        await asyncio.sleep(1.5)
        ws = await connect(server.url)
        welcome = await hello(ws, "py", epoch=welcome["epoch"], last_seq=last)
        got = await collect(ws, 10)
        await ws.close()
        return last, welcome, got

    last, welcome, got = run(scenario())
    assert got[0]["type"] == "gap", got[0]
    gap = got[0]
    assert gap["from"] == last + 1 and gap["reason"] == "history"
    assert welcome["head"] - 5 <= gap["to"] <= welcome["head"], "the 5 newest packets are replayed, not lost"
    seqs = [m["seq"] for m in got[1:]]
    assert all(m["type"] == "packet" for m in got[1:])
    assert seqs[0] == gap["to"] + 1
    assert_contiguous(seqs)


def test_python_client_of_an_old_epoch_gets_a_gap_to_null_then_this_epoch(procs):
    server = procs.server()

    async def scenario():
        await asyncio.sleep(0.5)
        ws = await connect(server.url)
        welcome = await hello(ws, "old", epoch=server.epoch - 1, last_seq=42)
        got = await collect(ws, welcome["head"] + 3)
        await ws.close()
        return welcome, got

    welcome, got = run(scenario())
    assert got[0] == {"type": "gap", "from": 43, "to": None, "reason": "new epoch"}
    seqs = [m["seq"] for m in got[1:]]
    assert welcome["head"] >= 3
    assert seqs[0] == 1, "the whole new epoch is still in history"
    assert_contiguous(seqs)


def test_a_client_of_an_old_epoch_at_the_largest_seq_has_nothing_left_to_lose(procs):
    """last_seq 2^64-1: nothing of that epoch can follow it, so no "new epoch"
    gap (last_seq + 1 would wrap to 0), and this epoch comes from seq 1."""
    server = procs.server()

    async def scenario():
        await asyncio.sleep(0.5)
        ws = await connect(server.url)
        welcome = await hello(ws, "wrap", epoch=server.epoch - 1, last_seq=2**64 - 1)
        got = await collect(ws, welcome["head"] + 3)
        await ws.close()
        return welcome, got

    welcome, got = run(scenario())
    assert welcome["head"] >= 3
    assert all(m["type"] == "packet" for m in got), got[0]
    seqs = [m["seq"] for m in got]
    assert seqs[0] == 1, "the whole new epoch is still in history"
    assert_contiguous(seqs)
