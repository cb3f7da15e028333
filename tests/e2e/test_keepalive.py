"""Half-open connections: a frozen peer is detected by pings within seconds,
on the server's side and on the recorder's."""

import signal
import time

from conftest import SLOW, assert_contiguous, by_epoch, read_jsonl, wait_until

PING = ["--ping-interval", "300ms", "--ping-timeout", "300ms"]


def packets_since_reconnect(rec):
    """Packets recorded after the second "connected" event (0 before it)."""
    lines = rec.jsonl()
    connects = [i for i, x in enumerate(lines) if x.get("event") == "connected"]
    return 0 if len(connects) < 2 else sum("seq" in x for x in lines[connects[1]:])


def test_server_drops_a_frozen_recorder(procs):
    server = procs.server(*PING)
    rec = procs.recorder(server.url, "frozen")
    rec.wait_packets(3)
    rec.send_signal(signal.SIGSTOP)  # never resumed: procs kills it at teardown
    start = time.monotonic()
    server.wait_output(r"frozen: ping not answered within \d+ ms, dropping", 2)
    server.wait_output(r"frozen \(127\.0\.0\.1:\d+\) disconnected", 2)
    assert time.monotonic() - start < 2 * SLOW
    assert server.running()


def test_a_recorder_frozen_then_thawed_is_dropped_and_resumes_without_loss(procs):
    server = procs.server(*PING)
    rec = procs.recorder(server.url, "thawed")
    rec.wait_packets(3)
    rec.send_signal(signal.SIGSTOP)
    server.wait_output(r"thawed \(127\.0\.0\.1:\d+\) disconnected", 3)
    rec.send_signal(signal.SIGCONT)

    wait_until(lambda: packets_since_reconnect(rec) >= 5, 10, "the recorder to come back and record")
    assert rec.stop() == 0
    lines = read_jsonl(rec.out)
    assert [x["event"] for x in lines if "event" in x] == ["connected", "disconnected", "connected", "disconnected"]
    assert rec.events("gap") == []
    assert_contiguous(by_epoch(rec.packets())[server.epoch])


def test_recorder_detects_a_frozen_server(procs):
    server = procs.server()
    rec = procs.recorder(server.url, "watchful", "watchful.jsonl", *PING)
    rec.wait_packets(3)
    server.send_signal(signal.SIGSTOP)  # resumed and killed by procs at teardown
    start = time.monotonic()
    lost = wait_until(lambda: rec.events("disconnected"), 2, "the recorder to notice the frozen server")
    assert time.monotonic() - start < 2 * SLOW
    assert "ping timeout" in lost[0]["reason"], lost
    assert rec.running()
    rec.wait_output(r"reconnecting in \d+ ms", 2)

    # Thawed, the server has the recorder back, with nothing lost.
    server.send_signal(signal.SIGCONT)
    wait_until(lambda: packets_since_reconnect(rec) >= 5, 15, "the recorder to reconnect and record")
    assert rec.stop() == 0
    assert_contiguous(by_epoch(rec.packets())[server.epoch])
    assert rec.events("gap") == []
