"""Limits: --max-clients, --handshake-timeout, the slow-consumer policy and
bounded memory."""

import asyncio
import json
import socket

import pytest
import websockets

from conftest import (HOST, RSS_SLACK_KIB, SANITIZED, SLOW, RawWebSocket, assert_contiguous, by_epoch, closed_within,
                      connect, hello, read_jsonl, recv_type, run, wait_until)


def test_max_clients_refuses_the_third_with_503_and_keeps_the_two(procs):
    server = procs.server("--max-clients", "2")

    async def scenario():
        a, b = await connect(server.url), await connect(server.url)
        await hello(a, "a")
        await hello(b, "b")
        with pytest.raises(websockets.InvalidStatusCode) as refused:
            await connect(server.url)
        # The two admitted clients did not notice.
        seqs = {ws: [(await recv_type(ws, "packet"))["seq"] for _ in range(5)] for ws in (a, b)}
        # Once one leaves, its place is free again.
        await a.close()
        for _ in range(50):
            try:
                c = await connect(server.url)
                break
            except websockets.InvalidStatusCode:
                await asyncio.sleep(0.05)
        else:
            raise AssertionError("a freed place was never given to a new client")
        await hello(c, "c")
        await recv_type(c, "packet")
        more = [(await recv_type(b, "packet"))["seq"] for _ in range(3)]
        await b.close()
        await c.close()
        return refused.value, seqs, more, seqs[b] + more

    refused, seqs, more, b_all = run(scenario())
    assert refused.status_code == 503
    for s in seqs.values():
        assert_contiguous(s)
    assert_contiguous(b_all)
    server.wait_output(r"refusing a client", 5)


@pytest.mark.parametrize("send", [b"", b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: webso"],
                         ids=["silent", "half-request"])
def test_a_connection_that_never_upgrades_is_dropped_after_the_handshake_timeout(procs, send):
    server = procs.server("--handshake-timeout", "500ms")
    with socket.create_connection((HOST, server.port)) as sock:
        if send:
            sock.sendall(send)
        elapsed = closed_within(sock, 5 * SLOW)
    assert elapsed is not None, "the server kept a connection that never upgraded"
    assert elapsed >= 0.4, f"closed after {elapsed:.2f} s, before the handshake timeout"
    server.wait_output(r"did not complete its handshake in time", 5)


def test_an_upgraded_client_is_not_subject_to_the_handshake_timeout(procs):
    server = procs.server("--handshake-timeout", "300ms")

    async def scenario():
        ws = await connect(server.url)
        await hello(ws, "patient")
        seqs = [(await recv_type(ws, "packet"))["seq"] for _ in range(12)]  # 1.2 s, 4 timeouts long
        await ws.close()
        return seqs, ws.close_code

    seqs, code = run(scenario())
    assert_contiguous(seqs)
    assert code == 1000


def wait_dropped_as_slow(server, name, baseline_rss, timeout):
    """Waits until the server logs dropping `name` as too slow; returns the
    server's peak RSS (KiB) seen meanwhile."""
    peak_rss = baseline_rss

    def dropped():
        nonlocal peak_rss
        peak_rss = max(peak_rss, server.rss_kib())
        return f"{name} is too slow" in server.stdout()

    wait_until(dropped, timeout, f"the server to drop {name} as slow")
    return peak_rss


def test_a_slow_consumer_is_dropped_and_the_others_get_every_packet(procs):
    server = procs.server("--max-queue", "50", "--handshake-timeout", "1s", "--log-level", "warn",
                          "--length", "100", interval="1ms")
    rec = procs.recorder(server.url, "fast")
    rec.wait_packets(50)
    baseline_rss = server.rss_kib()

    # A client that says hello and then never reads, with a tiny receive window.
    slow = RawWebSocket(server.port, rcvbuf=4096)
    slow.send_text(json.dumps({"type": "hello", "name": "sloth"}))
    peak_rss = wait_dropped_as_slow(server, "sloth", baseline_rss, 15)
    # The close frame cannot get through a full window: the socket is closed after the close deadline.
    wait_until(slow.closed_by_peer, 5, "the server to close the slow consumer's socket")
    slow.close()

    n = len(rec.packets())
    rec.wait_packets(n + 200)
    peak_rss = max(peak_rss, server.rss_kib())
    assert rec.running()
    assert rec.stop() == 0
    assert server.running()
    lines = read_jsonl(rec.out)
    assert [x["event"] for x in lines if "event" in x] == ["connected", "disconnected"]
    seqs = by_epoch(rec.packets())[server.epoch]
    assert_contiguous(seqs)
    assert len(seqs) >= 250
    assert peak_rss - baseline_rss < 64 * 1024 + RSS_SLACK_KIB, f"RSS grew from {baseline_rss} to {peak_rss} KiB"


def test_a_frozen_recorder_is_dropped_as_slow_and_memory_stays_bounded(procs):
    # 8 KB packets at 1 kHz; a sanitized recorder cannot keep up with that, so it gets less.
    # 250 queued packets (a quarter to half a second) is the healthy recorder's margin for a
    # stall on a loaded 2-core machine; 50 (the slow-consumer test's limit) proved too thin.
    length, interval = ("200", "2ms") if SANITIZED else ("1000", "1ms")
    server = procs.server("--max-queue", "250", "--handshake-timeout", "1s", "--log-level", "warn",
                          "--length", length, interval=interval)
    frozen = procs.recorder(server.url, "frozen")
    healthy = procs.recorder(server.url, "healthy")
    frozen.wait_packets(5)
    healthy.wait_packets(5)
    baseline_rss = server.rss_kib()
    frozen.send_signal(19)  # SIGSTOP, never resumed: procs kills it at teardown
    # The stream fills the frozen peer's socket buffers within seconds.
    peak_rss = wait_dropped_as_slow(server, "frozen", baseline_rss, 30)
    n = len(healthy.packets())
    healthy.wait_packets(n + 100)
    assert healthy.stop() == 0
    assert_contiguous(by_epoch(healthy.packets())[server.epoch])
    assert healthy.events("disconnected")[0]["reason"] == "recorder stopped"
    assert len(healthy.events("disconnected")) == 1
    assert peak_rss - baseline_rss < 128 * 1024 + RSS_SLACK_KIB, f"RSS grew from {baseline_rss} to {peak_rss} KiB"


@pytest.mark.skipif(SANITIZED, reason="a sanitized recorder pauses longer than the stream's 50 ms stall limit, "
                    "after which leaving it behind is the documented policy")
def test_a_free_running_stream_without_history_leaves_no_client_behind(procs):
    """--interval 0 waits for the slowest client to write each frame; with
    --history 0 the history holds no frame, and flow control must still count
    every session that has not written it."""
    server = procs.server("--history", "0", "--max-queue", "64", "--length", "100", "--log-level", "warn",
                          interval="0")
    recs = [procs.recorder(server.url, f"steady{i}") for i in range(3)]
    for rec in recs:
        rec.wait_lines(5000, timeout=20)
    assert "too slow" not in server.stdout(), server.stdout()[-2000:]
    assert all(rec.running() for rec in recs)
