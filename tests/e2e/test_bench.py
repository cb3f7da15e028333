"""`arraycast bench` against a real server: its counts match what the server sent."""
import json
import os
import re
import signal
import subprocess
import time

import pytest

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
    assert report["missing"] == 0 and report["out_of_order"] == 0 and report["clients_with_loss"] == 0
    assert report["per_client"]["without_packets"] == 0

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
    assert report["lost"] == 0 and report["missing"] == 0 and report["out_of_order"] == 0
    assert report["per_client"]["without_packets"] == 0
    assert report["packets_per_s"] > 1000
