"""Recorders survive the server: SIGKILL and restart, a server that is not
there yet, and --max-retries when it never comes."""

import re
import signal

from conftest import (assert_contiguous, by_epoch, free_port, read_csv, read_jsonl, read_txt, wait_until)


def test_server_killed_and_restarted_every_recorder_carries_on(procs):
    server = procs.server()
    jsonl = procs.recorder(server.url, "j1")
    jsonl2 = procs.recorder(server.url, "j2")
    txt = procs.recorder(server.url, "t1", "t1.txt")
    csv = procs.recorder(server.url, "v1", "v1.csv")
    jsonl.wait_packets(8)
    jsonl2.wait_packets(8)
    csv.wait_lines(8)
    txt.wait_lines(8)

    server.kill()
    for r in (jsonl, jsonl2):
        wait_until(lambda: r.events("disconnected"), 5, f"{r.label} to record the loss")
    old_last = {r: r.packets()[-1]["seq"] for r in (jsonl, jsonl2)}
    txt_before = sum(rec[0] == "packet" for rec in read_txt(txt.out))
    csv_before = len(read_csv(csv.out)[0])


    restarted = procs.server(port=server.port)
    assert restarted.epoch != server.epoch

    for r in (jsonl, jsonl2):
        wait_until(lambda: any(p["epoch"] == restarted.epoch for p in r.packets()[-1:])
                   and len(by_epoch(r.packets()).get(restarted.epoch, [])) >= 5, 15,
                   f"{r.label} to record the new epoch")
    wait_until(lambda: sum(rec[0] == "packet" for rec in read_txt(txt.out)) >= txt_before + 5, 15,
               "txt recorder to record after the restart")
    wait_until(lambda: len(read_csv(csv.out)[0]) >= csv_before + 5, 15, "csv recorder to record after the restart")
    for r in (jsonl, jsonl2, txt, csv):
        assert r.running(), f"{r.label} exited: {r.stderr()}"
        assert r.stop(signal.SIGINT) == 0

    for r in (jsonl, jsonl2):
        lines = read_jsonl(r.out)  # strict: every line parses, the last one is complete
        epochs = by_epoch(r.packets())  # no (epoch, seq) twice
        assert list(epochs) == [server.epoch, restarted.epoch]
        assert_contiguous(epochs[server.epoch])
        # History of the new epoch covers its start: nothing of it is missed.
        assert epochs[restarted.epoch][0] == 1
        assert_contiguous(epochs[restarted.epoch])

        kinds = [x.get("event", "packet") for x in lines]
        assert kinds.count("connected") == 2
        assert kinds.count("disconnected") == 2  # the kill, then SIGINT
        gaps = r.events("gap")
        assert len(gaps) == 1, gaps
        gap = gaps[0]
        assert gap["from"] == old_last[r] + 1 and gap["to"] is None and gap["reason"] == "new epoch"
        # In order: old packets, lost, back, gap, new packets.
        i_lost = kinds.index("disconnected")
        i_back = kinds.index("connected", i_lost)
        i_gap = lines.index(gap)
        assert i_lost < i_back < i_gap
        assert all(x.get("epoch") in (None, server.epoch) for x in lines[:i_gap])
        assert all(x.get("epoch") in (None, restarted.epoch) for x in lines[i_gap:])

    records = read_txt(txt.out)  # strict: every line is an array, event or blank line
    events = [r[1] for r in records if r[0] == "event"]
    assert [e.split(" ")[0].rstrip(":") for e in events if not e.startswith("gap")] == \
        ["connected", "disconnected", "connected", "disconnected"], events
    assert any(e.startswith("gap: packets from") and "new epoch" in e for e in events), events
    packets = [r[1] for r in records if r[0] == "packet"]
    assert all(len(p) == 5 and all(len(a) == 10 for a in p) for p in packets)

    rows, comments = read_csv(csv.out)  # strict: header, column counts, array order, no repeat
    segments = {}
    for segment, seq, arrays in rows:
        segments.setdefault(segment, []).append(seq)
        assert len(arrays) == 5
    assert list(segments) == [0, 1]
    assert_contiguous(segments[0])
    assert segments[1][0] == 1
    assert_contiguous(segments[1])
    assert any(c.startswith("# disconnected") for c in comments)
    assert any("new epoch" in c for c in comments)


def test_recorder_started_before_the_server_waits_for_it(procs):
    port = free_port()
    url = f"ws://127.0.0.1:{port}/"
    rec = procs.recorder(url, "early")
    rec.wait_output(r"reconnecting in \d+ ms \(attempt 3\)", 10, "three failed attempts")
    assert rec.running()
    assert rec.packets() == []

    server = procs.server(port=port)
    packets = rec.wait_packets(5, timeout=15)  # backoff is capped at 5 s
    assert {p["epoch"] for p in packets} == {server.epoch}
    assert_contiguous([p["seq"] for p in packets])
    assert rec.running()
    assert rec.stop() == 0
    assert rec.events("connected")[0]["url"] == url


def test_max_retries_gives_up_with_a_clear_message(procs):
    port = free_port()
    rec = procs.recorder(f"ws://127.0.0.1:{port}/", "quitter", "quitter.jsonl", "--max-retries", "2")
    code = rec.wait_exit(15)
    assert code != 0
    assert re.search(r"giving up\b.*ws://127\.0\.0\.1:%d/" % port, rec.stderr()), rec.stderr()
    # Two retries: three attempts, two waits.
    assert len(re.findall(r"reconnecting in", rec.stderr())) == 2, rec.stderr()
    assert read_jsonl(rec.out) == []
