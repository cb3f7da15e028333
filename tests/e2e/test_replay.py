"""`serve --source replay:FILE` streams a recording again, and `arraycast
verify` checks a recording, alone or against another file.

A recorder that joins a stream starts with its next live packet, and a replay
at --speed 0 may be over before one connects. So the recorders of a replay
start from a seed: a file whose one packet is of another epoch. Resuming from
it, the recorder is sent a `to: null` gap and then the replay's history from
seq 1: the whole replay, however late it connects. The seed line is cut off
before the file is verified."""

import json
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import BIN, SLOW, read_jsonl, wait_until

SEED = '{"seq":1,"epoch":1,"ts":0,"recv_ts":0,"arrays":[[0]]}\n'


def verify(*args):
    return subprocess.run([BIN, "verify", *map(str, args)], capture_output=True, text=True, timeout=30 * SLOW)


def healthz(server):
    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/healthz", timeout=5) as res:
        return json.loads(res.read())


def seeded_recorder(procs, url, name):
    out = procs.workdir / f"{name}.jsonl"
    out.write_text(SEED)
    return procs.recorder(url, name, out.name)


def without_seed(path):
    """The recording as the replay's recorder got it: its seed line cut off."""
    text = Path(path).read_text()
    assert text.startswith(SEED), text[:200]
    cut = Path(path).with_suffix(".cut.jsonl")
    cut.write_text(text[len(SEED):])
    return cut


def replay_packets(rec):
    """The packets a seeded recorder got from the replay (not its seed)."""
    return [p for p in rec.packets() if p["epoch"] != 1]


def write_recording(path, items):
    """A jsonl recording by hand: ("p", seq, arrays, ts) packets and ("gap", from, to) events."""
    lines = []
    for item in items:
        if item[0] == "p":
            _, seq, arrays, ts = item
            lines.append({"seq": seq, "epoch": 7, "ts": ts, "recv_ts": ts + 5, "arrays": arrays})
        else:
            _, first, last = item
            lines.append({"event": "gap", "time": 0, "from": first, "to": last, "reason": "history"})
    Path(path).write_text("".join(json.dumps(x) + "\n" for x in lines))


def record_random(procs, fmt, packets=30):
    """A recording of the default random stream, in `fmt`, of at least `packets` packets."""
    server = procs.server(interval="20ms")
    rec = procs.recorder(server.url, f"orig-{fmt}", f"orig.{fmt}")
    rec.wait_lines(packets * (7 if fmt == "txt" else 5 if fmt == "csv" else 1) + 2, timeout=20)
    assert rec.stop() == 0
    server.stop()
    return rec.out


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "txt"])
def test_a_replayed_recording_records_the_same_packets(procs, fmt):
    original = record_random(procs, fmt)
    assert verify(original).returncode == 0, verify(original).stdout
    server = procs.server("--source", f"replay:{original}", "--speed", "0")
    wait_until(lambda: healthz(server)["source"] == "ended", 10, "the replay to end")
    copy = seeded_recorder(procs, server.url, "copy")
    count = json.loads(verify(original, "--json").stdout)["packets"]
    wait_until(lambda: len(replay_packets(copy)) >= count, 10, f"{count} replayed packets")
    copy.stop()

    res = verify(without_seed(copy.out), "--against", original)
    assert res.returncode == 0, res.stdout + res.stderr
    assert f"against {original}: {count} packets compared" in res.stdout, res.stdout
    if fmt != "txt":  # txt records no producer ts: the replaying server stamps its own
        assert [p["ts"] for p in replay_packets(copy)] == [p["ts"] for p in read_jsonl_any(original)]


def read_jsonl_any(path):
    """The packets of a jsonl or csv recording, as {"ts": ...}, in order."""
    if str(path).endswith(".jsonl"):
        return [p for p in read_jsonl(path) if "event" not in p]
    packets = []
    for line in Path(path).read_text().splitlines()[1:]:
        if not line.startswith("#") and line.split(",")[2] == "0":
            packets.append({"ts": int(line.split(",")[4])})
    return packets


def test_a_recorded_gap_is_replayed_as_a_gap(procs):
    original = procs.workdir / "gappy.jsonl"
    write_recording(original, [("p", 1, [[1]], 1000), ("p", 2, [[2]], 2000), ("gap", 3, 5),
                               ("p", 6, [[6, 6.5]], 6000), ("p", 7, [[7]], 7000)])
    server = procs.server("--source", f"replay:{original}", "--speed", "0")
    wait_until(lambda: healthz(server)["source"] == "ended", 10, "the replay to end")
    copy = seeded_recorder(procs, server.url, "copy")
    wait_until(lambda: len(replay_packets(copy)) >= 4, 10, "the replayed packets")
    copy.stop()

    gaps = [e for e in read_jsonl(copy.out) if e.get("event") == "gap" and e["to"] is not None]
    assert [(g["from"], g["to"], g["reason"]) for g in gaps] == [(3, 5, "history")]
    assert [p["seq"] for p in replay_packets(copy)] == [1, 2, 6, 7], "the replay keeps the recording's seqs"
    assert replay_packets(copy)[2]["arrays"] == [[6, 6.5]]
    res = verify(without_seed(copy.out), "--against", original)
    assert res.returncode == 0, res.stdout
    assert "announced gaps (3 packets): 2" in res.stdout and "packets 3 to 5 (history)" in res.stdout, res.stdout


def test_exit_on_eof_exits_0_once_the_recorder_has_everything_and_speed_1_keeps_the_pacing(procs):
    original = procs.workdir / "paced.jsonl"
    write_recording(original, [("p", i, [[i]], 1_000_000 + i * 100_000) for i in range(1, 21)])  # 2 s of packets
    started = time.monotonic()
    server = procs.server("--source", f"replay:{original}", "--exit-on-eof")
    copy = seeded_recorder(procs, server.url, "copy")
    assert server.wait_exit(20) == 0, server.output()
    took = time.monotonic() - started
    assert took >= 1.8, f"20 packets 100 ms apart replayed in {took:.2f} s"
    wait_until(lambda: len(replay_packets(copy)) >= 20, 5, "the recorder to hold every packet")
    copy.stop()
    res = verify(without_seed(copy.out), "--against", original)
    assert res.returncode == 0, res.stdout


def test_loop_starts_over_with_ts_still_rising(procs):
    original = procs.workdir / "short.jsonl"
    write_recording(original, [("p", i, [[i]], i * 1000) for i in range(1, 4)])
    server = procs.server("--source", f"replay:{original}", "--speed", "0", "--loop")
    copy = seeded_recorder(procs, server.url, "copy")
    packets = wait_until(lambda: (lambda p: len(p) >= 10 and p)(replay_packets(copy)), 10, "three passes")
    # The recorder may have joined after the history's start: any 10 in a row show the cycle.
    for a, b in zip(packets, packets[1:10]):
        assert b["arrays"][0][0] == a["arrays"][0][0] % 3 + 1, (a, b)
        assert b["ts"] - a["ts"] == 1000 * (b["seq"] - a["seq"]), "each pass moves on by the span plus one interval"
    assert healthz(server)["source"] == "running"


def test_unreadable_lines_of_a_replay_are_rejected_and_the_rest_streams(procs):
    original = procs.workdir / "damaged.jsonl"
    write_recording(original, [("p", 1, [[1]], 1000), ("p", 2, [[2]], 2000)])
    original.write_text(original.read_text() + "not json\n" + json.dumps(
        {"seq": 3, "epoch": 7, "ts": 3000, "recv_ts": 3001, "arrays": [[3]]}) + "\n")
    server = procs.server("--source", f"replay:{original}", "--speed", "0")
    wait_until(lambda: healthz(server)["source"] == "ended", 10, "the replay to end")
    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/metrics", timeout=5) as res:
        assert 'arraycast_source_rejected_total{reason="not_a_packet"} 1' in res.read().decode()
    assert "damaged.jsonl line 3" in server.output()
    copy = seeded_recorder(procs, server.url, "copy")
    wait_until(lambda: [p["arrays"] for p in replay_packets(copy)] == [[[1]], [[2]], [[3]]], 10, "3 packets")


def test_verify_names_a_silent_hole_a_duplicate_and_reordering(procs):
    holed = procs.workdir / "holed.jsonl"
    write_recording(holed, [("p", 1, [[1]], 1), ("p", 2, [[2]], 2), ("p", 5, [[5]], 5), ("p", 5, [[5]], 5),
                            ("p", 4, [[4]], 4)])
    res = verify(holed)
    assert res.returncode == 1, res.stdout
    assert "silent holes: 1\n  epoch 7 seq 3 to 3 (1 packets)" in res.stdout, res.stdout
    assert "duplicates: 1\n  line 4: epoch 7 seq 5" in res.stdout, res.stdout
    assert "reordered: 1\n  line 5: epoch 7 seq 4" in res.stdout, res.stdout
    report = json.loads(verify(holed, "--json").stdout)
    assert report["ok"] is False
    assert report["holes"]["first"] == [{"epoch": 7, "from": 3, "to": 3}]

    announced = procs.workdir / "announced.jsonl"
    write_recording(announced, [("p", 1, [[1]], 1), ("gap", 2, 3), ("p", 4, [[4]], 4)])
    res = verify(announced)
    assert res.returncode == 0, res.stdout
    assert "OK" in res.stdout


def test_verify_against_the_producers_input(procs):
    rec = procs.workdir / "rec.jsonl"
    write_recording(rec, [("p", 1, [[1, 2]], 1), ("gap", 2, 2), ("p", 3, [[3.5], [4]], 3)])
    good = procs.workdir / "input.txt"
    good.write_text("1 2\n\n" + '{"arrays": [[3.5], [4]], "ts": 3}\n')
    assert verify(rec, "--against", good).returncode == 0
    bad = procs.workdir / "bad.txt"
    bad.write_text("1 2\n[[3.5], [4.0]]\n")
    res = verify(rec, "--against", bad)
    assert res.returncode == 1
    assert "array 1 value 0 is 4, not 4.0" in res.stdout, res.stdout


def test_verify_usage_errors_exit_2(procs):
    assert verify().returncode == 2
    assert verify(procs.workdir / "absent.jsonl").returncode == 2
    notes = procs.workdir / "notes.txt"
    notes.write_text("shopping list\n")
    res = verify(notes)
    assert res.returncode == 2 and "not a recording" in res.stderr, res.stderr


def test_a_replay_of_a_missing_file_is_refused_naming_the_flag(procs):
    res = subprocess.run([BIN, "serve", "--port", "0", "--source", "replay:/nonexistent.jsonl"], capture_output=True,
                         text=True, timeout=10)
    assert res.returncode != 0
    assert "--source" in res.stderr and "/nonexistent.jsonl" in res.stderr, res.stderr
