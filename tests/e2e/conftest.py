"""Fixtures and helpers for arraycast's end-to-end tests.

Every test runs the real binary on 127.0.0.1. Processes are started through the
`procs` fixture, which stops each one by its PID at teardown, and every wait
polls a condition against a deadline instead of sleeping a fixed time.

Environment:
  ARRAYCAST_BIN        the binary under test (default: build/e2e or build/release)
  ARRAYCAST_SANITIZED  1 for ASan/TSan builds: every deadline is multiplied by SLOW
"""

import asyncio
import base64
import json
import os
import re
import select
import signal
import socket
import struct
import subprocess
import time
from pathlib import Path

import pytest
import websockets

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parents[2]


def _find_binary():
    if os.environ.get("ARRAYCAST_BIN"):
        return Path(os.environ["ARRAYCAST_BIN"])
    for preset in ("e2e", "release"):
        candidate = ROOT / "build" / preset / "src" / "arraycast"
        if candidate.exists():
            return candidate
    return None


BIN = _find_binary()
SANITIZED = os.environ.get("ARRAYCAST_SANITIZED", "0") not in ("", "0")
# Event-loop threads for every server a test starts (CTest runs some groups
# again with 1 and with 4); unset: the server's default, one per core.
SERVER_THREADS = os.environ.get("ARRAYCAST_SERVER_THREADS")
# Sanitized binaries are 3-10x slower: stretch deadlines, never the scenario.
SLOW = 4.0 if SANITIZED else 1.0
# Memory checks allow this much more under sanitizers (shadow memory, redzones).
RSS_SLACK_KIB = 32 * 1024 if SANITIZED else 0
# ASan keeps freed memory in a 256 MiB quarantine, which would hide any leak
# from an RSS check: keep it small for the processes we start.
CHILD_ENV = dict(os.environ)
if "quarantine_size_mb" not in CHILD_ENV.get("ASAN_OPTIONS", ""):
    CHILD_ENV["ASAN_OPTIONS"] = ":".join(filter(None, [CHILD_ENV.get("ASAN_OPTIONS"), "quarantine_size_mb=16"]))
# Hard bound on one test, enforced with SIGALRM.
TEST_LIMIT = 60 * (3 if SANITIZED else 1)

URL_LINE = re.compile(r"streaming on (wss?://127\.0\.0\.1:(\d+)/) \(epoch (\d+), source [^,]+, seed (\d+)\)")
SANITIZER_REPORT = re.compile(r"ERROR: AddressSanitizer|ERROR: LeakSanitizer|WARNING: ThreadSanitizer|runtime error:")
RECEIPT = re.compile(r"(\S+) received packet (\d+) \((\d+) arrays\) ([\d.]+) ms after it was sent")
# --log-receipts auto: the receipts of one client and period that got no line of their own.
RECEIPT_SUMMARY = re.compile(r"(\S+) received (\d+) packets without a line in ([\d.]+) s, up to packet (\d+)"
                             r"(?:: latency (?:p50 ([\d.]+) ms, )?max ([\d.]+) ms)?$", re.M)


# --------------------------------------------------------------------------- waiting


def wait_until(condition, timeout, what, interval=0.02):
    """Polls `condition` until it returns something truthy; returns that value.

    `timeout` is in seconds for a plain build and is stretched by SLOW."""
    deadline = time.monotonic() + timeout * SLOW
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout * SLOW:.1f} s waiting for {what}")
        time.sleep(interval)


def run(coro, timeout=20):
    """Runs an asyncio scenario to completion within `timeout` (stretched by SLOW)."""
    return asyncio.run(asyncio.wait_for(coro, timeout * SLOW))


@pytest.fixture(autouse=True)
def _time_limit():
    """Fails a test that runs longer than TEST_LIMIT instead of hanging the suite."""

    def expired(signum, frame):
        raise TimeoutError(f"test exceeded {TEST_LIMIT} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(TEST_LIMIT)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


# --------------------------------------------------------------------------- processes


class Proc:
    """One arraycast process, its stdout and stderr going to files in the test's tmp dir."""

    def __init__(self, args, workdir, label, env=None, stdout_pipe=False, stdin=None):
        """stdout_pipe: stdout is a pipe that only wait_pipe() reads (a stalled reader).
        stdin: what the process reads (a file, a pipe's end, subprocess.PIPE); default nothing."""
        self.label = label
        self.args = [str(a) for a in args]
        self.stdout_path = workdir / f"{label}.stdout"
        self.stderr_path = workdir / f"{label}.stderr"
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            # A session of its own: a Ctrl-C on pytest does not reach it, we signal it ourselves.
            self.popen = subprocess.Popen(self.args, stdout=subprocess.PIPE if stdout_pipe else out, stderr=err,
                                          stdin=subprocess.DEVNULL if stdin is None else stdin, cwd=workdir, env=env or CHILD_ENV,
                                          start_new_session=True)
        self.pid = self.popen.pid
        self.piped = b""

    def wait_pipe(self, pattern, timeout=5):
        """With stdout_pipe: reads the pipe until `pattern` matches what was read; returns the match."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout * SLOW
        while not (m := regex.search(self.piped.decode(errors="replace"))):
            left = deadline - time.monotonic()
            assert left > 0 and self.running(), f"{self.label} never printed /{pattern}/: {self.piped[-500:]!r}"
            if select.select([self.popen.stdout], [], [], min(left, 0.1))[0]:
                self.piped += os.read(self.popen.stdout.fileno(), 4096)
        return m

    def running(self):
        return self.popen.poll() is None

    def send_signal(self, sig):
        if self.running():
            os.kill(self.pid, sig)

    def wait_exit(self, timeout=10):
        """Waits for the process to exit on its own; returns its exit code."""
        try:
            return self.popen.wait(timeout * SLOW)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"{self.label} (pid {self.pid}) did not exit within {timeout * SLOW:.1f} s")

    def stop(self, sig=signal.SIGINT, timeout=10):
        self.send_signal(sig)
        return self.wait_exit(timeout)

    def kill(self):
        """SIGKILL by PID (after SIGCONT, in case it was stopped) and reap."""
        if self.running():
            os.kill(self.pid, signal.SIGCONT)
            os.kill(self.pid, signal.SIGKILL)
        self.popen.wait(10)
        if self.popen.stdout:
            self.popen.stdout.close()

    def stdout(self):
        return self.stdout_path.read_text(errors="replace")

    def stderr(self):
        return self.stderr_path.read_text(errors="replace")

    def output(self):
        return self.stdout() + self.stderr()

    def wait_output(self, pattern, timeout=5, what=None):
        """Waits until stdout or stderr matches `pattern`; returns the match."""
        regex = re.compile(pattern)
        return wait_until(lambda: regex.search(self.output()), timeout,
                          what or f"{self.label} to print /{pattern}/")

    def status(self, field):
        """A numeric field of /proc/PID/status, e.g. VmRSS in kB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
        raise KeyError(field)

    def rss_kib(self):
        return self.status("VmRSS")

    def fd_count(self):
        return len(os.listdir(f"/proc/{self.pid}/fd"))


class Server(Proc):
    def __init__(self, args, workdir, label, stdout_pipe=False, stdin=None):
        super().__init__(args, workdir, label, stdout_pipe=stdout_pipe, stdin=stdin)
        if stdout_pipe:
            m = self.wait_pipe(URL_LINE.pattern, 10)
        else:
            m = wait_until(lambda: URL_LINE.search(self.stdout()) or self._died(), 10, f"{label} to listen")
        self.url, self.port, self.epoch, self.seed = m.group(1), int(m.group(2)), int(m.group(3)), int(m.group(4))

    def _died(self):
        if not self.running():
            raise AssertionError(f"{self.label} exited with {self.popen.returncode}: {self.output()}")
        return None

    def receipts(self, name=None):
        """(name, seq, arrays) of every receipt line in the server's log."""
        found = [(m.group(1), int(m.group(2)), int(m.group(3))) for m in RECEIPT.finditer(self.stdout())]
        return [r for r in found if name is None or r[0] == name]

    def receipt_summaries(self, name=None):
        """(name, receipts, up_to_seq) of every receipt summary line."""
        found = [(m.group(1), int(m.group(2)), int(m.group(4))) for m in RECEIPT_SUMMARY.finditer(self.stdout())]
        return [r for r in found if name is None or r[0] == name]


class Recorder(Proc):
    def __init__(self, args, workdir, label, out, env=None):
        super().__init__(args, workdir, label, env)
        self.out = out

    def jsonl(self):
        return read_jsonl(self.out, strict=not self.running())

    def packets(self):
        return jsonl_packets(self.jsonl())

    def events(self, kind=None):
        return jsonl_events(self.jsonl(), kind)

    def wait_packets(self, n, timeout=10):
        """Waits until the (jsonl) file holds at least n packets; returns them."""
        return wait_until(lambda: (lambda p: len(p) >= n and p)(self.packets()), timeout,
                          f"{self.label} to record {n} packets")

    def wait_lines(self, n, timeout=10):
        """Format-agnostic: waits until the file holds n complete lines."""
        def count():
            if not self.out.exists():
                return 0
            return self.out.read_bytes().count(b"\n") >= n
        return wait_until(count, timeout, f"{self.label} to write {n} lines to {self.out.name}")


class Broker(Proc):
    """A real nats-server with JetStream on a loopback port, its store in the test's tmp dir.
    Started again with the same port and store, it is the same broker after a restart."""

    def __init__(self, workdir, label, port, store):
        self.port, self.store = port, store
        self.url = f"nats://{HOST}:{port}"
        super().__init__(["nats-server", "-js", "-a", HOST, "-p", port, "-sd", store], workdir, label)
        wait_until(lambda: "Server is ready" in self.output() or self._died(), 10, f"{label} to be ready")

    def _died(self):
        if not self.running():
            raise AssertionError(f"{self.label} exited with {self.popen.returncode}: {self.output()}")
        return None


class Procs:
    """Starts processes for one test and stops every one of them, by PID, at teardown."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.started = []
        self.count = 0

    def _label(self, kind):
        self.count += 1
        return f"{kind}{self.count}"

    def server(self, *extra, port=0, interval="100ms", seed=None, label=None, stdout_pipe=False, stdin=None):
        args = [BIN, "serve", "--host", HOST, "--port", port, "--interval", interval]
        if SERVER_THREADS:
            args += ["--threads", SERVER_THREADS]
        if seed is not None:
            args += ["--seed", seed]
        args += list(extra)
        label = label or self._label("server")
        # Registered before the wait for its URL, so a server that never listens is still killed.
        proc = Server.__new__(Server)
        self.started.append(proc)
        proc.__init__(args, self.workdir, label, stdout_pipe=stdout_pipe, stdin=stdin)
        return proc

    def broker(self, port=None, store=None):
        """A nats-server -js; pass an earlier one's port and store to restart it."""
        label = self._label("nats")
        proc = Broker.__new__(Broker)
        self.started.append(proc)
        proc.__init__(self.workdir, label, port or free_port(), store or self.workdir / f"{label}-store")
        return proc

    def recorder(self, url, name, out=None, *extra, fmt=None, env=None):
        out = self.workdir / (out or f"{name}.jsonl")
        args = [BIN, "record", "--url", url, "--name", name, "--out", out]
        if fmt:
            args += ["--format", fmt]
        args += list(extra)
        proc = Recorder(args, self.workdir, self._label(f"record-{name}-"), out, env)
        self.started.append(proc)
        return proc

    def teardown(self):
        for p in reversed(self.started):
            if getattr(p, "popen", None) is not None:
                p.kill()
        reports = []
        for p in self.started:
            if getattr(p, "popen", None) is None:
                continue
            for path in (p.stdout_path, p.stderr_path):
                text = path.read_text(errors="replace") if path.exists() else ""
                tail = "\n".join(text.splitlines()[-25:])
                print(f"----- {p.label} {path.suffix[1:]} (pid {p.pid}, exit {p.popen.returncode}) -----\n{tail}")
                if m := SANITIZER_REPORT.search(text):
                    reports.append(f"{p.label}: {text[m.start():m.start() + 2000]}")
        assert not reports, "sanitizer report:\n" + "\n".join(reports)


@pytest.fixture
def procs(tmp_path):
    if BIN is None or not Path(BIN).exists():
        pytest.fail(f"arraycast binary not found (ARRAYCAST_BIN={os.environ.get('ARRAYCAST_BIN')!r})")
    p = Procs(tmp_path)
    yield p
    p.teardown()


# --------------------------------------------------------------------------- file formats


def read_jsonl(path, strict=True):
    """Every line of a jsonl recording, parsed. A line that does not parse fails
    the test. While the recorder runs (strict=False) a last line still being
    written (no newline yet) is left out; once it exited, it is an error."""
    if not Path(path).exists():
        return []
    data = Path(path).read_bytes()
    lines = data.split(b"\n")
    last = lines.pop()
    if last:
        assert not strict, f"{path} ends in an incomplete line: {last[:80]!r}"
    parsed = []
    for number, line in enumerate(lines, 1):
        try:
            value = json.loads(line)
        except ValueError:
            raise AssertionError(f"{path}:{number} is not JSON: {line[:120]!r}")
        assert isinstance(value, dict), f"{path}:{number} is not an object"
        parsed.append(value)
    return parsed


def jsonl_packets(lines):
    return [x for x in lines if "event" not in x]


def jsonl_events(lines, kind=None):
    return [x for x in lines if "event" in x and (kind is None or x["event"] == kind)]


TXT_PACKET = re.compile(r"^# packet (\d+) epoch (\d+) : (\d+\.\d{6})$")
NUMBER = r"-?\d+(?:\.\d+)?(?:e[-+]\d+)?"  # as format_value writes it: 7, 2.0, -0.5, 1e+300
TXT_ARRAY = re.compile(rf"^\[((?:{NUMBER}(?: {NUMBER})*)?)\] : (\d+\.\d{{6}})$")


def parse_value(text):
    """A value as txt and csv write it: a double always shows a '.' or an 'e'."""
    return float(text) if any(c in text for c in ".e") else int(text)
TXT_EVENT = re.compile(r"^# (.+) : (\d+\.\d{6})$")


def read_txt(path):
    """A txt recording as [("packet", arrays, recv_seconds, seq, epoch) | ("event", text, seconds)].

    Every line must be a packet line, an array line, an event line or the blank
    line that ends a packet or an event; anything else (a torn or merged line,
    arrays without their packet line) fails."""
    text = Path(path).read_text()
    assert text == "" or text.endswith("\n"), f"{path} does not end with a newline"
    records, arrays, when, header = [], [], None, None
    for number, line in enumerate(text.split("\n")[:-1], 1):
        if m := TXT_PACKET.match(line):
            assert header is None, f"{path}:{number}: packet line inside a packet"
            header = (int(m.group(1)), int(m.group(2)))
        elif m := TXT_ARRAY.match(line):
            assert header is not None, f"{path}:{number}: array line without its packet line"
            arrays.append([parse_value(v) for v in m.group(1).split()])
            when = m.group(2)
        elif m := TXT_EVENT.match(line):
            assert header is None, f"{path}:{number}: event inside a packet"
            records.append(("event", m.group(1), m.group(2)))
        elif line == "":
            if header is not None:  # a packet of no arrays has none of its own time
                records.append(("packet", arrays, when) + header)
                arrays, header = [], None
        else:
            raise AssertionError(f"{path}:{number} is not a txt recording line: {line[:120]!r}")
    assert header is None, f"{path}: last packet has no closing blank line"
    return records


def read_csv(path, length=10):
    """A csv recording as (packets, comments). packets is a list of
    (segment, seq, arrays) in file order, where segment counts the "new epoch"
    gaps above the row. Checks that the header is the first line, the column
    count of every row (`length` values; None: any, as ragged arrays have),
    the array order and count, one epoch per segment, and that no packet repeats."""
    text = Path(path).read_text()
    assert text == "" or text.endswith("\n"), f"{path} does not end with a newline"
    header = re.compile(r"seq,epoch,array,arrays,ts,recv_ts(,v\d+)*" if length is None else
                        re.escape("seq,epoch,array,arrays,ts,recv_ts," + ",".join(f"v{i}" for i in range(length))))
    packets, comments, segment, epochs = [], [], 0, {}
    for number, line in enumerate(text.split("\n")[:-1], 1):
        if number == 1:
            assert header.fullmatch(line), f"{path}:1: expected the header, got {line!r}"
            continue
        if line.startswith("# "):
            comments.append(line)
            segment += "new epoch" in line
            continue
        cells = line.split(",")
        assert len(cells) == 6 + length if length is not None else len(cells) >= 6, \
            f"{path}:{number} has {len(cells)} columns: {line!r}"
        seq, epoch, index, count = (int(c) for c in cells[:4])
        assert epochs.setdefault(segment, epoch) == epoch, f"{path}:{number}: epoch {epoch} in segment {segment}"
        if index == 0:
            assert all((segment, seq) != p[:2] for p in packets[-50:]), f"{path}:{number}: packet {seq} twice"
            packets.append((segment, seq, []))
        else:
            assert packets and packets[-1][:2] == (segment, seq) and len(packets[-1][2]) == index, \
                f"{path}:{number}: array {index} of packet {seq} out of order"
        assert index < count or index == count == 0, f"{path}:{number}: array {index} of {count}"
        if count:  # a packet of no arrays is one row, "array 0 of 0"
            packets[-1][2].append([parse_value(v) for v in cells[6:]])
    return packets, comments


def assert_contiguous(seqs, what="seq"):
    """Each seq is the previous one plus one: nothing missing, nothing twice."""
    assert seqs, f"no {what} at all"
    for a, b in zip(seqs, seqs[1:]):
        assert b == a + 1, f"{what} jumps from {a} to {b} in {seqs[:5]}...{seqs[-5:]}"


def by_epoch(packets):
    """{epoch: [seq, ...]} in file order; fails on a duplicate (epoch, seq)."""
    seen, out = set(), {}
    for p in packets:
        key = (p["epoch"], p["seq"])
        assert key not in seen, f"packet {key} recorded twice"
        seen.add(key)
        out.setdefault(p["epoch"], []).append(p["seq"])
    return out


def check_packet(p, arrays=5, length=10, lo=0, hi=99):
    assert isinstance(p["seq"], int) and p["seq"] >= 1, p
    assert isinstance(p["ts"], int) and p["ts"] > 1_600_000_000_000_000, p
    assert len(p["arrays"]) == arrays, p
    for a in p["arrays"]:
        assert len(a) == length, p
        assert all(isinstance(v, int) and lo <= v <= hi for v in a), p


# --------------------------------------------------------------------------- clients


def free_port():
    """A port nothing listens on right now (bound and released)."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


async def connect(url, **kw):
    kw.setdefault("ping_interval", None)
    kw.setdefault("close_timeout", 2 * SLOW)
    kw.setdefault("open_timeout", 5 * SLOW)
    return await websockets.connect(url, **kw)


async def recv_json(ws, timeout=5):
    message = await asyncio.wait_for(ws.recv(), timeout * SLOW)
    assert isinstance(message, str), f"server sent a binary frame: {message[:40]!r}"
    return json.loads(message)


async def recv_type(ws, kind, timeout=5):
    """The next message of type `kind`, skipping packets (and only packets)."""
    while True:
        m = await recv_json(ws, timeout)
        if m["type"] == kind:
            return m
        assert m["type"] == "packet", f"expected {kind}, got {m}"


async def hello(ws, name, epoch=None, last_seq=None):
    """Reads the welcome, sends hello; returns the welcome."""
    welcome = await recv_json(ws)
    assert welcome["type"] == "welcome", welcome
    msg = {"type": "hello", "name": name}
    if epoch is not None:
        msg.update(epoch=epoch, last_seq=last_seq)
    await ws.send(json.dumps(msg))
    return welcome


async def close_code_of(ws, timeout=5):
    """Waits for the server to close `ws` (reading and dropping what is left); returns the code."""
    try:
        while True:
            await asyncio.wait_for(ws.recv(), timeout * SLOW)
    except websockets.ConnectionClosed as e:
        return e.rcvd.code if e.rcvd else None


def closed_within(sock, limit):
    """Seconds until the server closes `sock` (EOF or reset), or None past `limit`."""
    start = time.monotonic()
    sock.settimeout(limit)
    try:
        while sock.recv(4096):
            pass
    except socket.timeout:
        return None
    except ConnectionResetError:
        pass
    return time.monotonic() - start


class RawWebSocket:
    """A WebSocket client over a plain socket, for what a library will not do:
    stop reading while the server keeps sending, with a tiny receive buffer."""

    def __init__(self, port, rcvbuf=None):
        self.sock = socket.socket()
        if rcvbuf:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(5 * SLOW)
        self.sock.connect((HOST, port))
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET / HTTP/1.1\r\nHost: {HOST}:{port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = self.sock.recv(1)  # byte by byte: leave the first frame unread
            assert chunk, "server closed during the handshake"
            response += chunk
        assert response.startswith(b"HTTP/1.1 101"), response

    def send_text(self, text):
        self.send_frame(0x1, text.encode())

    def send_frame(self, opcode, payload):
        """One final, masked frame; payloads under 126 bytes."""
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        assert len(payload) < 126
        self.sock.sendall(struct.pack("!BB", 0x80 | opcode, 0x80 | len(payload)) + mask + masked)

    def read_frames(self):
        """Every frame the server sends until it closes the TCP connection, as
        (fin, opcode, payload); fails on a masked or truncated frame."""
        data = b""
        while chunk := self.sock.recv(65536):
            data += chunk
        frames, at = [], 0
        while at < len(data):
            first, second = data[at], data[at + 1]
            assert not second & 0x80, f"server frame at byte {at} is masked"
            size, at = second & 0x7F, at + 2
            if size >= 126:
                width = 2 if size == 126 else 8
                size, at = int.from_bytes(data[at:at + width], "big"), at + width
            assert at + size <= len(data), f"frame at byte {at} is truncated"
            frames.append((bool(first & 0x80), first & 0x0F, data[at:at + size]))
            at += size
        return frames

    def closed_by_peer(self):
        """Non-blocking: True once the server closed the connection (EOF or reset),
        discarding whatever data is still buffered."""
        self.sock.setblocking(False)
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    return True
        except BlockingIOError:
            return False
        except (ConnectionResetError, BrokenPipeError):
            return True

    def close(self):
        self.sock.close()
