"""The server's receipt log (--log-receipts): a line per ack at a slow
stream's pace, a bounded summary per client above it, every line or none on
request; and logging that never holds up an event loop."""

import asyncio
import json
import subprocess
import time

from conftest import BIN, SLOW, connect, hello, recv_json, run, wait_until
from test_endpoints import get, metric, parse_exposition

# --log-receipts auto: receipt lines per client per period, then a summary.
LINES_PER_PERIOD = 10


async def ack_packets(url, name, count, keep_open=None):
    """Acks `count` packets as they come; returns their seqs. Closes at the
    end, unless keep_open is an asyncio.Event to wait for first."""
    ws = await connect(url)
    await hello(ws, name)
    acked = []
    while len(acked) < count:
        m = await recv_json(ws)
        if m["type"] == "packet":
            await ws.send(json.dumps({"type": "ack", "seq": m["seq"]}))
            acked.append(m["seq"])
    if keep_open:
        await keep_open.wait()
    await ws.close()
    return acked


def ack_from(server, names, count):
    """{name: acked seqs}, every client acking `count` packets at once."""
    async def scenario():
        return await asyncio.gather(*(ack_packets(server.url, n, count) for n in names))
    return dict(zip(names, run(scenario(), timeout=30)))


def check_accounted(server, name, acked):
    """Every ack of `name` is in a receipt line or counted in a summary, and
    the last summary ends at its last ack."""
    summaries = wait_until(lambda: (lambda s: s and s[-1][2] == acked[-1] and s)(server.receipt_summaries(name)),
                           5, f"{name}'s summary up to packet {acked[-1]}")
    lines = server.receipts(name)
    assert {seq for _, seq, _ in lines} <= set(acked)
    assert len(lines) + sum(s[1] for s in summaries) == len(acked), (len(lines), summaries)
    assert [s[2] for s in summaries] == sorted(s[2] for s in summaries)
    return lines, summaries


def test_fast_ackers_get_a_few_lines_and_a_summary(procs):
    server = procs.server(interval="5ms")
    acked = ack_from(server, ["fast-a", "fast-b", "fast-c"], 400)

    for name, seqs in acked.items():
        lines, summaries = check_accounted(server, name, seqs)
        # 2 s of acks, all in the first 10 s period: 10 lines, then the summary
        # written when the client left.
        assert len(lines) == LINES_PER_PERIOD, f"{name}: {len(lines)} receipt lines"
        assert [s[1] for s in summaries] == [400 - LINES_PER_PERIOD], summaries
        assert [seq for _, seq, _ in lines] == seqs[:LINES_PER_PERIOD]


def test_summaries_come_every_period_while_a_client_acks(procs):
    server = procs.server("--receipt-period", "1s", interval="5ms")
    started = time.monotonic()
    acked = ack_from(server, ["steady-a", "steady-b"], 700)  # 3.5 s at 200 packets/s
    elapsed = time.monotonic() - started

    for name, seqs in acked.items():
        lines, summaries = check_accounted(server, name, seqs)
        periods = elapsed / 1.0 + 1
        assert len(summaries) >= 3, summaries
        assert len(lines) <= LINES_PER_PERIOD * periods, f"{name}: {len(lines)} lines in {elapsed:.1f} s"
        assert len(summaries) <= periods + 1, f"{name}: {len(summaries)} summaries in {elapsed:.1f} s"


def test_log_receipts_all_logs_every_receipt(procs):
    server = procs.server("--log-receipts", "all", interval="5ms")
    acked = ack_from(server, ["all-a", "all-b"], 300)
    for name, seqs in acked.items():
        wait_until(lambda: sorted(s for _, s, _ in server.receipts(name)) == seqs, 5,
                   f"a receipt line for each of {name}'s 300 acks")
    assert server.receipt_summaries() == []


def test_log_receipts_none_logs_no_receipt(procs):
    server = procs.server("--log-receipts", "none", interval="5ms")
    ack_from(server, ["quiet"], 100)
    server.wait_output(r"quiet .*disconnected")
    assert server.receipts() == [] and server.receipt_summaries() == []


def test_receipt_flags_are_validated():
    for args, flag in ((["--log-receipts", "sometimes"], "--log-receipts"), (["--receipt-period", "0"], "--receipt-period")):
        done = subprocess.run([str(BIN), "serve", "--port", "0", *args], capture_output=True, text=True,
                              timeout=10 * SLOW)
        assert done.returncode != 0 and flag in done.stderr, done.stderr


def test_a_stalled_stdout_holds_up_no_event_loop(procs):
    """The log's reader stops reading: lines are dropped and counted, and the
    server goes on serving, connecting and streaming."""
    server = procs.server("--log-receipts", "all", interval="1ms", stdout_pipe=True)

    async def flood():
        ws = await connect(server.url)
        assert (await recv_json(ws))["type"] == "welcome"  # no hello: no packets to read, only acks to send
        ack = json.dumps({"type": "ack", "seq": 1})
        for _ in range(30):
            await asyncio.gather(*(ws.send(ack) for _ in range(1000)))
        return ws

    async def newcomer():
        ws = await connect(server.url)
        await hello(ws, "newcomer")
        while (await recv_json(ws))["type"] != "packet":
            pass
        await ws.close()

    async def scenario():
        flooder = await asyncio.wait_for(flood(), 10 * SLOW)
        try:
            await asyncio.wait_for(newcomer(), 5 * SLOW)
        except asyncio.TimeoutError:
            raise AssertionError("a new client got no packet within 5 s while the log's reader was stalled")
        wait_until(lambda: metric(parse_exposition(get(server, "/metrics")[2]),
                                  "arraycast_log_lines_dropped_total") > 0, 10, "log lines to be dropped")
        await flooder.close()

    run(scenario(), timeout=30)
    assert get(server, "/healthz")[0] == 200
