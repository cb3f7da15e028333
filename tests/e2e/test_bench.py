"""`arraycast bench` against a real server: its counts match what the server sent."""
import json
import os
import re
import signal
import subprocess
import time

import pytest

from conftest import SLOW, free_port

BIN = os.environ.get("ARRAYCAST_BIN", "arraycast")
SANITIZED = os.environ.get("ARRAYCAST_SANITIZED", "0") == "1"
INTERVAL_S = 0.010


@pytest.fixture
def server():
    proc = subprocess.Popen([BIN, "serve", "--port", "0", "--interval", "10ms", "--seed", "1", "--log-level", "warn"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    line = proc.stdout.readline()
    match = re.search(r"ws://[^ ]+/", line)
    assert match, f"no URL in {line!r}"
    yield proc, match.group(0)
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()


def run_bench(*args, timeout=60):
    done = subprocess.run([BIN, "bench", *args], capture_output=True, text=True, timeout=timeout)
    return done


def test_counts_match_the_stream(server):
    proc, url = server
    done = run_bench("--url", url, "--clients", "20", "--duration", "2s", "--json", "--server-pid", str(proc.pid))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["connected"] == 20 and report["failed"] == 0 and report["lost"] == 0
    assert report["missing"] == 0 and report["duplicates"] == 0 and report["clients_with_loss"] == 0
    assert report["per_client"]["without_packets"] == 0 and report["reconnects"] == 0

    # The server sent one packet per 10 ms during the window; each client
    # must have received about that many (timer slack and the window's edges).
    expected = report["window_s"] / INTERVAL_S
    low, high = (0.5, 1.1) if SANITIZED else (0.8, 1.1)
    per_client = report["per_client"]["packets"]
    assert low * expected <= per_client["min"] <= per_client["max"] <= high * expected + 1
    # Every client saw the same packets, give or take the edges of the window.
    assert per_client["max"] - per_client["min"] <= 2 + 0.02 * expected
    assert per_client["min"] * 20 <= report["packets"] <= per_client["max"] * 20
    assert report["latency_us"]["count"] == report["packets"]
    assert 0 <= report["latency_us"]["p50"] <= report["latency_us"]["p99"] <= report["latency_us"]["max"]
    assert report["bytes"] > report["packets"] * 100  # 5 arrays of 10 values: ~200 bytes each
    assert report["server"]["pid"] == proc.pid and report["server"]["cpu_s"] >= 0
    assert report["server"]["rss_kib"] > 0


def test_binary_clients_read_every_packet_in_its_compact_form(server):
    proc, url = server
    done = run_bench("--url", url, "--clients", "10", "--duration", "1s", "--json", "--encoding", "binary")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["connected"] == 10 and report["missing"] == 0 and report["duplicates"] == 0
    expected = report["window_s"] / INTERVAL_S
    assert report["per_client"]["packets"]["min"] >= (0.5 if SANITIZED else 0.8) * expected
    # A 24-byte header, one length and 5 x 10 values of one byte: docs/PROTOCOL.md, "Binary packets".
    assert report["bytes"] == report["packets"] * 78
    assert report["latency_us"]["count"] == report["packets"]


def test_human_summary(server):
    _, url = server
    done = run_bench("--url", url, "--clients", "3", "--duration", "300ms", "--threads", "1")
    assert done.returncode == 0, done.stderr
    for word in ("3 connected", "missing", "latency", "p99.9", "bench CPU"):
        assert word in done.stdout


def test_nothing_listening_is_reported():
    done = run_bench("--url", "ws://127.0.0.1:1/", "--clients", "2", "--duration", "100ms", "--json",
                     "--connect-timeout", "2s")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["connected"] == 0 and report["failed"] == 2
    assert "connect" in report["first_error"]


@pytest.mark.parametrize("args,flag", [
    (["--clients", "0"], "--clients"),
    (["--duration", "2"], "--duration"),
    (["--url", "http://127.0.0.1/"], "--url"),
    (["--connect-rate", "0"], "--connect-rate"),
    (["--threads", "0"], "--threads"),
    (["--clients", "100000"], "--clients"),
    (["--name-prefix", ""], "--name-prefix"),
    (["--spawn", "true", "--server-pid", "1"], "--spawn"),
    (["--kill-after", "1s"], "--kill-after"),
    (["--encoding", "xml"], "--encoding"),
    (["--spawn", "true", "--kill-after", "3s", "--duration", "2s"], "--kill-after"),
])
def test_bad_flags_are_explained(args, flag):
    done = run_bench(*args, timeout=10)
    assert done.returncode != 0
    assert flag in done.stderr


def start_server(*args):
    proc = subprocess.Popen([BIN, "serve", "--port", "0", "--log-level", "warn", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    match = re.search(r"ws://[^ ]+/", proc.stdout.readline())
    assert match
    return proc, match.group(0)


def stop_server(proc):
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=10)


def test_rate_sets_packets_per_second():
    proc, url = start_server("--rate", "200")
    try:
        report = json.loads(run_bench("--url", url, "--clients", "5", "--duration", "1s", "--json").stdout)
    finally:
        stop_server(proc)
    per_s = report["per_client"]["packets_per_s"]
    assert (100 if SANITIZED else 160) <= per_s["min"] <= per_s["max"] <= 220
    assert report["missing"] == 0 and report["lost"] == 0


def test_interval_zero_is_flow_controlled():
    # Free-running: faster than any timer here, yet nobody is dropped as slow.
    proc, url = start_server("--interval", "0")
    try:
        report = json.loads(run_bench("--url", url, "--clients", "10", "--duration", "1s", "--json").stdout)
    finally:
        stop_server(proc)
    assert report["lost"] == 0 and report["missing"] == 0 and report["duplicates"] == 0
    assert report["per_client"]["without_packets"] == 0
    assert report["packets_per_s"] > 1000


# --------------------------------------------------------------------------- --spawn and storms


def spawn_bench(*args, serve=(), interval="10ms", timeout=60):
    """bench --spawn on a free port; returns (completed process, report or None)."""
    port = free_port()
    command = " ".join([os.path.abspath(BIN), "serve", "--port", str(port), "--interval", interval,
                        "--log-level", "warn", *serve])
    done = run_bench("--url", f"ws://127.0.0.1:{port}/", "--spawn", command, "--json", *args,
                     timeout=timeout * SLOW)
    return done, (json.loads(done.stdout) if done.stdout.strip() else None)


def gone(pid):
    """True when no process `pid` is left (bench reaped what it spawned)."""
    return not os.path.exists(f"/proc/{pid}")


def test_spawn_reports_the_servers_cpu_and_memory():
    done, report = spawn_bench("--clients", "10", "--duration", "2s")
    assert done.returncode == 0, done.stderr
    server = report["server"]
    assert server["spawned"] is True and gone(server["pid"])
    assert server["cpu_s"] > 0 and server["cpu_ns_per_packet"] > 0
    assert 0 < server["rss_before_kib"] <= server["rss_kib"] <= server["hwm_kib"]
    assert server["rss_per_client_bytes"] > 0
    # What the server sent: one packet per 10 ms during the window, to each client.
    expected = report["window_s"] / INTERVAL_S
    per_client = report["per_client"]["packets"]
    assert (0.5 if SANITIZED else 0.8) * expected <= per_client["min"] <= per_client["max"] <= 1.1 * expected + 1
    assert report["connected"] == 10 and report["lost"] == 0 and report["missing"] == 0
    assert report["duplicates"] == 0 and "storm" not in report


def test_spawn_that_exits_is_an_error():
    done = run_bench("--url", f"ws://127.0.0.1:{free_port()}/", "--spawn", "/bin/sh -c 'exit 3'", "--duration", "1s", timeout=10)
    assert done.returncode != 0
    assert "--spawn" in done.stderr and "status 3" in done.stderr


def test_spawn_that_never_listens_is_an_error():
    started = time.monotonic()
    done = run_bench("--url", f"ws://127.0.0.1:{free_port()}/", "--spawn", "sleep 30", "--listen-timeout", "1s",
                     "--duration", "1s", timeout=20)
    assert done.returncode != 0
    assert "--spawn" in done.stderr and "did not accept connections" in done.stderr
    assert time.monotonic() - started < 10  # the sleep was stopped, not waited for


def test_storm_every_client_comes_back_and_catches_up():
    done, report = spawn_bench("--clients", "20", "--duration", "4s", "--kill-after", "1s", interval="50ms")
    assert done.returncode == 0, done.stderr
    storm = report["storm"]
    assert storm["back"] == 20 and storm["not_back"] == 0 and storm["caught_up"] == 20
    assert storm["resumed_new_epoch"] == 20  # each resumed with its old epoch and was told it is over
    assert 0 < storm["reconnect_p50_s"] <= storm["reconnect_all_s"] <= storm["caught_up_all_s"] < 3 * SLOW
    assert 0 < storm["listening_s"] < 2 * SLOW and 0.9 < storm["kill_at_s"] < 1.5 * SLOW
    assert report["missing"] == 0 and report["duplicates"] == 0 and report["down_at_end"] == 0
    assert report["lost"] == 20 and report["reconnects"] >= 20
    assert report["server"]["cpu_s"] > 0 and gone(report["server"]["pid"])


def test_storm_counts_what_history_no_longer_holds():
    # History of 2 packets at 1 ms: a client back more than 2 ms after the new
    # server started finds the new epoch's first packets gone, announced in a
    # gap and counted missing. Clients retry after a jittered backoff, so one
    # may be that quick, under a sanitizer too: at least one is not.
    done, report = spawn_bench("--clients", "5", "--duration", "3s", "--kill-after", "1s",
                               serve=("--history", "2"), interval="1ms")
    assert done.returncode == 0, done.stderr
    assert report["storm"]["back"] == 5 and report["storm"]["resumed_new_epoch"] == 5
    assert report["clients_with_loss"] >= 1 and report["missing"] >= report["clients_with_loss"]
    assert report["duplicates"] == 0
