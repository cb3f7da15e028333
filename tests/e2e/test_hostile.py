"""Hostile and broken peers: whatever a client does or stops doing, its
session ends within a bounded time and gives its slot and memory back."""

import json
import socket
import time
import urllib.request

from conftest import SLOW, RawWebSocket, wait_until

# Large packets on a fast stream: a peer that stops reading fills every
# socket buffer between it and the server within a fraction of a second.
FLOOD = ["--arrays", "10", "--length", "1000"]


def connected(server):
    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/healthz", timeout=5) as res:
        return json.loads(res.read())["clients"]


def test_peers_that_stop_reading_and_half_close_are_released(procs):
    server = procs.server(*FLOOD, "--max-queue", "8", "--handshake-timeout", "1s", interval="5ms")
    peers = [RawWebSocket(server.port, rcvbuf=4096) for _ in range(5)]
    for i, ws in enumerate(peers):
        ws.send_text(json.dumps({"type": "hello", "name": f"halfclosed{i}"}))
    wait_until(lambda: connected(server) == 5, 5, "five clients")
    time.sleep(0.7)
    for ws in peers:
        ws.sock.shutdown(socket.SHUT_WR)  # FIN, and still never read

    # Each is slow (8 messages queued) and half-closed: the close it is owed
    # cannot complete, so the close deadline (--handshake-timeout) cuts it.
    wait_until(lambda: connected(server) == 0, 5, "every half-closed peer to be released")
    assert all(ws.closed_by_peer() for ws in peers)
    assert server.running()


def test_a_peer_that_chats_but_never_reads_is_dropped_by_its_unanswered_ping(procs):
    """It sends a message every 0.5 s, more often than nothing but less often
    than the ping interval, and reads nothing: the ping waits behind a stalled
    write, is never answered, and the peer is dropped ping-timeout after it."""
    server = procs.server(*FLOOD, "--max-queue", "100000", "--ping-interval", "300ms",
                          "--ping-timeout", "300ms", interval="5ms")
    ws = RawWebSocket(server.port, rcvbuf=4096)
    ws.send_text(json.dumps({"type": "hello", "name": "chatty"}))
    wait_until(lambda: connected(server) == 1, 5, "the chatty client")
    start = time.monotonic()
    try:
        while connected(server) == 1 and time.monotonic() - start < 4 * SLOW:
            ws.send_text(json.dumps({"type": "ack", "seq": 1}))
            time.sleep(0.5)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server cut it while we were sending
    server.wait_output(r"chatty: ping not answered within \d+ ms, dropping", 1)
    assert time.monotonic() - start < 2.5 * SLOW
    wait_until(lambda: connected(server) == 0, 2, "the chatty peer to be released")
    assert server.running()
