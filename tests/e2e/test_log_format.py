"""Issue 14: `--log-format json` writes one JSON object per log line (time,
level, message) for log collectors; text stays the default."""

import json
import re
import signal
import subprocess

from conftest import BIN, connect, hello, recv_type, run, wait_until

TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def json_lines(text, skip_startup=False):
    lines = text.splitlines()
    if skip_startup:  # the startup line stays as it is: scripts read the URL from it
        assert lines[0].startswith("arraycast serve: streaming on"), lines[0]
        lines = lines[1:]
    records = [json.loads(line) for line in lines]  # every line parses, or this fails
    for r in records:
        assert set(r) == {"time", "level", "message"}, r
        assert TIME.match(r["time"]), r["time"]
    return records


def test_server_and_recorder_write_one_json_object_per_line(procs):
    server = procs.server("--log-format", "json", interval="20ms")
    rec = procs.recorder(server.url, "jsonrec", None, "--log-format", "json")
    rec.wait_packets(3)

    async def misbehave():
        ws = await connect(server.url)
        await hello(ws, "quoter")
        await ws.send('{"type": "ack", "seq": "a \\"quoted\\"\\nline"}')  # its text lands in a warning
        await recv_type(ws, "error")
        await ws.close()

    run(misbehave())
    wait_until(lambda: "quoter" in server.stdout() and "disconnected" in server.stdout(), 10, "the client's lines")
    assert rec.stop() == 0
    server.stop(signal.SIGINT)

    records = json_lines(server.stdout(), skip_startup=True)
    messages = [r["message"] for r in records]
    assert any(m.startswith("jsonrec (127.0.0.1:") and "said hello" in m for m in messages), messages
    warnings = [r for r in records if r["level"] == "warning"]
    assert any("quoter: bad message" in r["message"] for r in warnings), records
    assert {r["level"] for r in records} <= {"info", "warning"}
    client = json_lines(rec.stderr())
    assert any(r["message"].startswith("connected to ws://") for r in client), client


def test_text_is_the_default_and_a_bad_format_is_refused(procs):
    server = procs.server()
    procs.recorder(server.url, "plain").wait_packets(1)
    assert re.search(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} info \S+ connected$", server.stdout(), re.M)
    for command in ("serve", "record", "publish"):
        out = subprocess.run([BIN, command, "--log-format", "xml"], capture_output=True, text=True, timeout=10)
        assert out.returncode == 2
        assert "--log-format: 'xml' is not a log format: use text or json" in out.stderr, out.stderr
