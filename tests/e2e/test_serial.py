"""`serve --source serial:DEVICE`: lines from a serial port. No hardware: a
pseudo-terminal pair stands in for the board, the test writing to its master
and the server opening its slave through a stable symlink, which is re-pointed
at a new pty when the board "comes back" (a new pty gets a new path)."""

import asyncio
import json
import os
import subprocess
import termios
from pathlib import Path

from conftest import BIN, SLOW, connect, hello, recv_json, run, wait_until
from test_endpoints import get

PROBE = [[-1]]


class Board:
    """A pty whose slave the server opens as `link`; unplug() closes the
    master, so the server's reads fail as with a board pulled out."""

    def __init__(self, link):
        self.link = Path(link)
        self.master = None

    def plug(self):
        self.master, slave = os.openpty()
        path = os.ttyname(slave)
        os.close(slave)
        new = self.link.with_name(self.link.name + ".new")
        os.symlink(path, new)
        os.replace(new, self.link)  # atomic: the server sees the old pty or the new one

    def unplug(self):
        os.close(self.master)
        self.master = None

    def write(self, text):
        os.write(self.master, text.encode())

    def termios(self):
        return termios.tcgetattr(self.master)


def opened(server, link):
    return server.output().count(f"serial source: opened {link}")


async def receiving(ws, board):
    """Writes probe lines until one arrives, so that what is written next is live for `ws`."""
    while True:
        board.write("-1\n")
        try:
            m = json.loads(await asyncio.wait_for(ws.recv(), 0.2 * SLOW))
        except asyncio.TimeoutError:
            continue
        if m.get("type") == "packet":
            return


async def next_packet(ws):
    """The next packet that is not a probe."""
    while (m := await recv_json(ws, timeout=10))["type"] != "packet" or m["arrays"] == PROBE:
        pass
    return m


def test_lines_arrive_and_a_board_that_goes_away_is_reopened(procs, tmp_path):
    board = Board(tmp_path / "board")
    board.plug()
    server = procs.server("--source", f"serial:{board.link}")
    wait_until(lambda: opened(server, board.link) == 1, 10, "the server to open the board")

    async def scenario():
        ws = await connect(server.url)
        await hello(ws, "viewer")
        await receiving(ws, board)
        board.write("1 2 3\n4 5")  # one write: "4 5" is read with "1 2 3", and is left unfinished
        before = await next_packet(ws)
        board.unplug()
        server.wait_output(r"serial source: \S+ went away \(.*\); retrying in \d+ ms \(attempt 1\)")
        server.wait_output(r"serial source: cannot open \S+: No such file or directory; retrying in \d+ ms "
                           r"\(attempt 2\)")
        board.plug()
        wait_until(lambda: opened(server, board.link) == 2, 10, "the server to reopen the board")
        board.write("6 7 8\n")
        after = await next_packet(ws)
        await ws.close()
        return before, after

    before, after = run(scenario(), timeout=40)
    assert before["arrays"] == [[1, 2, 3]]
    assert after["arrays"] == [[6, 7, 8]], "the line cut by the unplugging was glued to the next one"
    assert after["seq"] == before["seq"] + 1, "a packet between the two lines"
    assert server.running()


def test_a_missing_device_is_retried_and_the_server_serves_meanwhile(procs, tmp_path):
    board = Board(tmp_path / "not-yet" / "board")
    server = procs.server("--source", f"serial:{board.link}")
    server.wait_output(r"cannot open \S+/not-yet/board: No such file or directory; retrying in \d+ ms \(attempt 2\)")
    status, _, body = get(server, "/healthz")
    assert status == 200 and json.loads(body)["status"] == "ok" and json.loads(body)["source"] == "running", body
    # The board turns up: the same path is opened and streams.
    board.link.parent.mkdir()
    board.plug()
    wait_until(lambda: opened(server, board.link) == 1, 10, "the server to open the board at last")

    async def scenario():
        ws = await connect(server.url)
        welcome = await hello(ws, "viewer")
        await receiving(ws, board)
        board.write('{"arrays":[[0.5,-1]],"ts":1764000000000042}\n')
        m = await next_packet(ws)
        await ws.close()
        return welcome, m

    welcome, m = run(scenario())
    assert welcome["source"] == "serial", welcome
    assert m["arrays"] == [[0.5, -1]] and m["ts"] == 1764000000000042


def test_serial_settings_reach_the_port(procs, tmp_path):
    board = Board(tmp_path / "board")
    board.plug()
    # --data-bits 8: a pty refuses any other character size (EINVAL), a UART does not.
    server = procs.server("--source", f"serial:{board.link}", "--baud", "9600", "--data-bits", "8",
                          "--parity", "even", "--stop-bits", "2", "--flow-control", "hardware")
    wait_until(lambda: opened(server, board.link) == 1, 10, "the server to open the board")
    server.wait_output(r"opened \S+ \(9600 baud, 8E2\)")
    iflag, oflag, cflag, lflag, ispeed, ospeed, cc = board.termios()
    assert ospeed == termios.B9600 and ispeed == termios.B9600
    assert cflag & termios.CSIZE == termios.CS8
    # A pty clears PARENB (a byte stream has no parity); the input check that even parity turns on stays.
    assert iflag & termios.INPCK
    assert cflag & termios.CSTOPB and cflag & termios.CRTSCTS
    assert not lflag & (termios.ICANON | termios.ECHO), "the port is not raw"


def test_bad_serial_options_are_refused_with_a_message():
    cases = {
        ("--baud", "12345"): "--baud 12345",
        ("--data-bits", "9"): "--data-bits",
        ("--parity", "mark"): "--parity",
        ("--stop-bits", "3"): "--stop-bits",
        ("--stop-bits", "1.5"): "--stop-bits 1.5",
        ("--flow-control", "xon"): "--flow-control",
    }
    for flags, message in cases.items():
        r = subprocess.run([BIN, "serve", "--port", "0", "--source", "serial:/dev/ttyACM0", *flags],
                           capture_output=True, text=True, timeout=10 * SLOW)
        assert r.returncode != 0 and message in r.stderr + r.stdout, (flags, r.stderr)
    r = subprocess.run([BIN, "serve", "--port", "0", "--source", "serial:"], capture_output=True, text=True,
                       timeout=10 * SLOW)
    assert r.returncode != 0 and "serial:DEVICE needs a DEVICE" in r.stderr + r.stdout, r.stderr
