"""Per-address limits: --max-clients-per-ip (503), --handshake-rate (429),
both with Retry-After and counted in /metrics; and the slowloris cases the
handshake timeout cuts."""

import base64
import os
import re
import socket
import subprocess
import time
import urllib.request

import pytest

from conftest import BIN, HOST, SLOW, wait_until

OTHER = "127.0.0.2"  # loopback too: a second client address on one machine


def upgrade(port, path="/", source=HOST):
    """One WebSocket handshake from `source`; returns (status, headers, socket).
    The socket stays open: after a 101 it holds the client's place."""
    sock = socket.create_connection((HOST, port), timeout=5 * SLOW, source_address=(source, 0))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(1)
        assert chunk, f"server closed during the handshake: {head!r}"
        head += chunk
    lines = head.decode().split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:] if line)}
    return int(lines[0].split()[1]), headers, sock


def admitted(port, path="/", source=HOST):
    """The open socket of an admitted client, or None (the refusal's socket closed)."""
    status, _, sock = upgrade(port, path, source)
    if status == 101:
        return sock
    sock.close()
    return None


def metrics(port):
    """Every sample of /metrics, by name with its labels."""
    with urllib.request.urlopen(f"http://{HOST}:{port}/metrics", timeout=5 * SLOW) as r:
        body = r.read().decode()
    return {m.group(1): float(m.group(2)) for m in re.finditer(r"^(\S+) (\S+)$", body, re.M)}


def refusals(port):
    """arraycast_upgrades_refused_total by reason."""
    prefix = 'arraycast_upgrades_refused_total{reason="'
    return {name[len(prefix):-2]: int(v) for name, v in metrics(port).items() if name.startswith(prefix)}


def assert_refused(port, status, path="/", source=HOST):
    got, headers, sock = upgrade(port, path, source)
    sock.close()
    assert got == status, f"expected {status}, got {got}"
    assert int(headers["retry-after"]) >= 1, headers
    return int(headers["retry-after"])


def test_the_per_ip_cap_refuses_with_503_and_admits_again_when_one_leaves(procs):
    server = procs.server("--max-clients-per-ip", "2", "--echo")
    held = [admitted(server.port), admitted(server.port)]
    assert all(held), "the first two clients were refused"
    assert_refused(server.port, 503)
    assert_refused(server.port, 503, "/echo")  # every kind of WebSocket client counts
    # Another address has its own count.
    other = admitted(server.port, source=OTHER)
    assert other, f"a client from {OTHER} was refused while {HOST} was full"

    held.pop().close()
    wait_until(lambda: metrics(server.port)["arraycast_clients_connected"] == 2, 5, "the server to see a client leave")
    again = admitted(server.port)
    assert again, "no place was free once a client left"
    assert_refused(server.port, 503)
    assert refusals(server.port) == {"per_ip": 3, "rate": 0}
    server.wait_output(r"refusing a client from 127\.0\.0\.1: 2 clients from its address", 2)
    assert "beyond this machine" not in server.output(), "a loopback server warned about exposure"
    for s in held + [other, again]:
        s.close()


def test_the_handshake_rate_refuses_a_burst_with_429_and_recovers(procs):
    # One upgrade per 2 s after a burst of 3: a slow machine cannot earn a token mid-burst.
    server = procs.server("--handshake-rate", "1/2s", "--handshake-burst", "3")
    for _ in range(3):
        sock = admitted(server.port)
        assert sock, "an upgrade within the burst was refused"
        sock.close()
    retry = assert_refused(server.port, 429)
    assert retry <= 2, f"Retry-After {retry} s, longer than one token takes"
    # Refused upgrades cost nothing: polling does not push recovery back.
    other = admitted(server.port, source=OTHER)
    assert other, f"{OTHER} was refused for {HOST}'s rate"
    start = time.monotonic()
    recovered = wait_until(lambda: admitted(server.port), 5 * SLOW, "the rate limit to let an upgrade through again",
                           interval=0.2)
    assert time.monotonic() - start <= 2.5 * SLOW
    assert_refused(server.port, 429)
    counted = refusals(server.port)
    assert counted["rate"] >= 2 and counted["per_ip"] == 0, counted
    server.wait_output(r"refusing an upgrade from 127\.0\.0\.1: its address is over --handshake-rate", 2)
    recovered.close()
    other.close()


def test_without_limits_one_address_may_open_many_clients_quickly(procs):
    server = procs.server()
    held = [admitted(server.port) for _ in range(20)]
    assert all(held)
    assert refusals(server.port) == {"per_ip": 0, "rate": 0}
    for s in held:
        s.close()


def trickle(sock, data, every, limit):
    """Sends `data` a byte every `every` s; returns the seconds until the
    server closed the connection, or None if it did not within `limit`."""
    start = time.monotonic()
    sock.settimeout(every)
    for byte in data:
        if time.monotonic() - start > limit:
            return None
        try:
            sock.sendall(bytes([byte]))
            if sock.recv(1) == b"":
                break
        except socket.timeout:
            continue
        except (BrokenPipeError, ConnectionResetError):
            break
    else:
        return None
    return time.monotonic() - start


def test_a_request_trickled_a_byte_at_a_time_is_still_cut_at_the_handshake_timeout(procs):
    """Slowloris: every byte comes well within the timeout, but the timeout
    bounds the whole handshake, not the silence between reads."""
    server = procs.server("--handshake-timeout", "1500ms")
    request = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Pad: " + b"a" * 200
    with socket.create_connection((HOST, server.port)) as sock:
        cut = trickle(sock, request, 0.3, 5 * SLOW)
    assert cut is not None, "a trickling client kept its connection past 5 s"
    assert 1.3 <= cut <= 3.0 * SLOW, f"cut after {cut:.2f} s, not at the 1.5 s handshake timeout"
    server.wait_output(r"did not complete its handshake in time", 2)


@pytest.mark.parametrize("args", [["--handshake-rate", "fast"], ["--handshake-rate", "10/0s"],
                                  ["--handshake-rate", "5/s", "--handshake-burst", "0"], ["--handshake-burst", "5"],
                                  ["--max-clients-per-ip", "-1"]])
def test_a_bad_limit_is_refused_with_exit_2_naming_its_flag(args):
    res = subprocess.run([BIN, "serve", "--port", "0", *args], capture_output=True, text=True, timeout=10)
    assert res.returncode == 2, res
    assert args[-2] in res.stderr, res.stderr
