"""Fixtures for the client module's tests: a real `arraycast serve` on a free loopback port.

Standalone on purpose (the package is tested on its own, as `pip install` users would):
only the binary is shared with tests/e2e, through ARRAYCAST_BIN."""

import asyncio
import json
import os
import re
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(os.environ.get("ARRAYCAST_BIN") or ROOT / "build" / "release" / "src" / "arraycast")
# Sanitized binaries are 3-10x slower: stretch deadlines, never the scenario.
SLOW = 4.0 if os.environ.get("ARRAYCAST_SANITIZED", "0") not in ("", "0") else 1.0
URL_LINE = re.compile(r"streaming on (ws://127\.0\.0\.1:(\d+)/) \(epoch (\d+),")


def wait_until(condition, timeout, what):
    """Polls `condition` until it is truthy and returns it; fails after `timeout` seconds (times SLOW)."""
    timeout *= SLOW
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        assert time.monotonic() < deadline, f"timed out after {timeout} s waiting for {what}"
        time.sleep(0.02)
    return value


def run(coro, timeout=20):
    return asyncio.run(asyncio.wait_for(coro, timeout * SLOW))


class Server:
    """One `arraycast serve`; its output goes to a file in the test's tmp dir."""

    def __init__(self, workdir, label, args, stdin=None):
        self.log = workdir / f"{label}.log"
        with open(self.log, "wb") as out:
            self.popen = subprocess.Popen([str(BIN), "serve", "--host", "127.0.0.1", *map(str, args)], stdout=out,
                                          stderr=subprocess.STDOUT, stdin=stdin or subprocess.DEVNULL,
                                          start_new_session=True)
        m = wait_until(lambda: URL_LINE.search(self.log.read_text()) or self._died(), 10, f"{label} to listen")
        self.url, self.port, self.epoch = m.group(1), int(m.group(2)), int(m.group(3))

    def _died(self):
        assert self.popen.poll() is None, f"server exited: {self.log.read_text()}"

    def get(self, path):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=5) as r:
            return r.read().decode()

    def clients(self):
        return json.loads(self.get("/clients"))

    def kill(self):
        if self.popen.poll() is None:
            os.kill(self.popen.pid, signal.SIGKILL)
        self.popen.wait(10)


class Procs:
    """Starts servers and recorders for one test and SIGKILLs each, by PID, at teardown."""

    def __init__(self, workdir):
        self.workdir, self.started = workdir, []

    def server(self, *args, port=0, interval="20ms", stdin=None):
        s = Server(self.workdir, f"server{len(self.started)}", ["--port", port, "--interval", interval, *args], stdin)
        self.started.append(s)
        return s

    def recorder(self, url, name, *args):
        out = self.workdir / f"{name}.jsonl"
        p = subprocess.Popen([str(BIN), "record", "--url", url, "--name", name, "--out", str(out), *args],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        self.started.append(p)
        return p, out

    def teardown(self):
        for p in self.started:
            if isinstance(p, Server):
                p.kill()
            elif p.poll() is None:
                p.kill()
                p.wait(10)


@pytest.fixture
def procs(tmp_path):
    assert BIN.exists(), f"arraycast binary not found: {BIN} (set ARRAYCAST_BIN)"
    p = Procs(tmp_path)
    yield p
    p.teardown()


def read_jsonl_packets(path):
    """The packets of a jsonl recording, complete lines only."""
    lines = path.read_bytes().split(b"\n")[:-1] if path.exists() else []
    return [o for o in map(json.loads, lines) if "event" not in o]
