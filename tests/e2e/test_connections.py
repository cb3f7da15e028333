"""Every TCP connection counts, whatever it speaks: --max-connections bounds
them all (plain HTTP, handshakes, /echo, the stream), a keep-alive connection
cannot be held forever by polling, and a stopping server closes every one of
them within its grace period."""

import signal
import socket
import struct
import time

from conftest import HOST, SLOW, RawWebSocket, closed_within, wait_until


def http_get(sock, path="/healthz"):
    """Sends one keep-alive GET on `sock` and reads its response: (status, headers, body)."""
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        assert chunk, f"server closed before answering {path}"
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    lines = head.decode().split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
    while len(body) < int(headers["content-length"]):
        chunk = sock.recv(65536)
        assert chunk, "server closed in the middle of a body"
        body += chunk
    return int(lines[0].split()[1]), headers, body.decode()


def keep_alive(port, path="/healthz"):
    """A connection that was answered once and stays open, as a poller's is between polls."""
    sock = socket.create_connection((HOST, port))
    assert http_get(sock, path)[0] == 200
    return sock


def metric_value(port, name):
    with socket.create_connection((HOST, port)) as sock:
        body = http_get(sock, "/metrics")[2]
    for line in body.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"{name} is not in /metrics")


def test_connections_over_max_connections_are_closed_at_once_and_counted(procs):
    server = procs.server("--max-clients", "2", "--max-connections", "3")
    pollers = [keep_alive(server.port) for _ in range(3)]
    # The fourth: the kernel completes its TCP handshake, the server closes it unread.
    with socket.create_connection((HOST, server.port)) as extra:
        elapsed = closed_within(extra, 5 * SLOW)
    assert elapsed is not None, "a connection over --max-connections was kept"
    assert elapsed < 1.0 * SLOW, f"closed after {elapsed:.2f} s: not at once"
    for p in pollers:  # the admitted ones still work
        assert http_get(p)[0] == 200
    pollers.pop().close()
    refused = wait_until(lambda: _try(lambda: metric_value(server.port, "arraycast_connections_refused_total")), 5,
                         "a free place to scrape from")
    assert refused >= 1
    for p in pollers:
        p.close()


def _try(f):
    try:
        return f()
    except (AssertionError, OSError):
        return None


def test_a_keep_alive_poller_is_closed_after_max_requests(procs):
    server = procs.server("--max-requests", "5")
    with socket.create_connection((HOST, server.port)) as sock:
        for i in range(1, 5):
            status, headers, _ = http_get(sock)
            assert status == 200 and headers.get("connection", "").lower() != "close", (i, headers)
            time.sleep(0.5)
        status, headers, _ = http_get(sock)
        assert status == 200 and headers.get("connection", "").lower() == "close", headers
        assert closed_within(sock, 2 * SLOW) is not None, "the connection stayed open after its last request"


def test_an_idle_keep_alive_connection_is_closed_before_the_handshake_timeout(procs):
    server = procs.server("--handshake-timeout", "20s")
    with keep_alive(server.port) as sock:
        elapsed = closed_within(sock, 15 * SLOW)
    assert elapsed is not None, "an idle keep-alive connection was kept past 15 s"
    assert 4.0 <= elapsed <= 7.0 * SLOW, f"closed after {elapsed:.2f} s, not after the 5 s keep-alive idle time"


def _close_code(frames):
    closes = [payload for _, opcode, payload in frames if opcode == 0x8]
    assert closes, f"no close frame in {[(op, len(p)) for _, op, p in frames]}"
    return struct.unpack("!H", closes[0][:2])[0]


def test_sigterm_cuts_handshakes_and_http_at_once_and_exits_0_within_the_grace_period(procs):
    server = procs.server()
    # A stream client that never answers the close: the server must wait for it, up to its grace period.
    deaf = RawWebSocket(server.port)
    wait_until(lambda: _try(lambda: metric_value(server.port, "arraycast_clients_connected")) == 1, 5,
               "the raw client to be connected")
    half = socket.create_connection((HOST, server.port))
    half.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: webso")
    idle = keep_alive(server.port)
    time.sleep(0.2)  # both are read by the server before the signal

    start = time.monotonic()
    server.send_signal(signal.SIGTERM)
    for name, sock in (("half a request", half), ("an idle keep-alive", idle)):
        elapsed = closed_within(sock, 5 * SLOW)
        assert elapsed is not None, f"{name} was never closed"
        assert time.monotonic() - start < 1.0 * SLOW, f"{name} closed {time.monotonic() - start:.2f} s after SIGTERM"
        sock.close()
    assert server.wait_exit(6) == 0
    assert time.monotonic() - start < 4.5 * SLOW, "exited after the 3 s grace period"
    assert _close_code(deaf.read_frames()) == 1001
    deaf.close()


def test_a_fast_poller_gets_connection_close_on_its_100th_request_by_default(procs):
    server = procs.server()
    with socket.create_connection((HOST, server.port)) as sock:
        for i in range(1, 100):
            status, headers, _ = http_get(sock)
            assert status == 200 and headers.get("connection", "").lower() != "close", (i, headers)
        assert http_get(sock)[1].get("connection", "").lower() == "close"
        assert closed_within(sock, 2 * SLOW) is not None
