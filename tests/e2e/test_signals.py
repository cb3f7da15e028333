"""Signals: clean exits with complete files, close 1001 from a stopping server,
and a killed recorder that costs the others nothing."""

import asyncio
import signal
import subprocess
from pathlib import Path

import pytest

from conftest import (CHILD_ENV, assert_contiguous, by_epoch, close_code_of, connect, hello, read_csv, read_jsonl,
                      read_txt, recv_type, run, wait_until)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("out", ["r.jsonl", "r.txt", "r.csv"])
def test_recorder_signal_exits_0_with_a_complete_file(procs, sig, out):
    server = procs.server()
    rec = procs.recorder(server.url, "r", out)
    rec.wait_lines(12)
    assert rec.stop(sig) == 0, rec.stderr()

    data = rec.out.read_bytes()
    assert data.endswith(b"\n")
    if out.endswith(".jsonl"):
        lines = read_jsonl(rec.out)
        assert lines[-1]["event"] == "disconnected", lines[-1]
        assert_contiguous(by_epoch(rec.packets())[server.epoch])
    elif out.endswith(".txt"):
        records = read_txt(rec.out)
        assert records[-1][0] == "event" and records[-1][1].startswith("disconnected"), records[-1]
    else:
        rows, comments = read_csv(rec.out)
        assert comments[-1].startswith("# disconnected"), comments
        assert_contiguous([seq for _, seq, _ in rows])
    assert "recorded" in rec.stderr()
    # The server saw the client leave, and stays up.
    server.wait_output(r"r \(127\.0\.0\.1:\d+\) disconnected", 5)
    assert server.running()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_server_signal_closes_every_client_with_1001_and_exits_0(procs, sig):
    server = procs.server()
    rec = procs.recorder(server.url, "rec")
    rec.wait_packets(3)

    async def scenario():
        clients = [await connect(server.url) for _ in range(3)]
        for i, ws in enumerate(clients):
            await hello(ws, f"py{i}")
        for ws in clients:
            await recv_type(ws, "packet")
        server.send_signal(sig)
        return await asyncio.gather(*(close_code_of(ws) for ws in clients))

    assert run(scenario()) == [1001, 1001, 1001]
    assert server.wait_exit(10) == 0
    assert "signal" in server.stdout()

    disconnected = wait_until(lambda: rec.events("disconnected"), 5, "the recorder to record the close")
    assert "1001" in disconnected[0]["reason"], disconnected
    assert rec.running(), "a recorder reconnects after 1001"
    wait_until(lambda: "reconnecting in" in rec.stderr(), 5, "the recorder to retry")


def test_sigkill_of_one_recorder_does_not_disturb_the_others(procs):
    server = procs.server()
    victim = procs.recorder(server.url, "victim")
    survivors = [procs.recorder(server.url, f"s{i}") for i in range(2)]
    for r in [victim] + survivors:
        r.wait_packets(5)

    victim.kill()
    server.wait_output(r"victim \(127\.0\.0\.1:\d+\) disconnected", 5)
    counts = [len(r.packets()) for r in survivors]
    for r, n in zip(survivors, counts):
        r.wait_packets(n + 10)
    assert server.running()
    for r in survivors:
        assert r.stop() == 0
        lines = read_jsonl(r.out)
        assert [x["event"] for x in lines if "event" in x] == ["connected", "disconnected"]
        assert_contiguous(by_epoch(r.packets())[server.epoch])

    # And it still takes new clients.
    async def newcomer():
        ws = await connect(server.url)
        await hello(ws, "late")
        m = await recv_type(ws, "packet")
        await ws.close()
        return m

    assert run(newcomer())["seq"] > 0


def slow_resolve_env(workdir):
    """The environment of a process whose lookups of *.slow-resolve.test hang
    (tests/e2e/slow_resolve.c, built here); returns it and the file that
    appears once such a lookup has begun."""
    shim = workdir / "slow_resolve.so"
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(shim), str(Path(__file__).with_name("slow_resolve.c")), "-ldl"],
                   check=True)
    mark = workdir / "lookup-started"
    env = dict(CHILD_ENV, LD_PRELOAD=str(shim), SLOW_RESOLVE_MARK=str(mark))
    # A sanitized binary wants its runtime first in the library list; the shim only wraps getaddrinfo.
    env["ASAN_OPTIONS"] = ":".join(filter(None, [env.get("ASAN_OPTIONS"), "verify_asan_link_order=0"]))
    return env, mark


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_recorder_stops_at_once_on_a_signal_during_a_name_lookup_that_hangs(procs, sig):
    env, mark = slow_resolve_env(procs.workdir)
    rec = procs.recorder("ws://stream.slow-resolve.test:6969/", "r", "r.jsonl", env=env)
    wait_until(mark.exists, 10, "the recorder to start its name lookup")
    assert rec.stop(sig, timeout=3) == 0, rec.stderr()
    assert read_jsonl(rec.out) == []  # it never connected: nothing to record


def test_a_name_lookup_that_hangs_counts_against_the_connect_timeout(procs):
    env, mark = slow_resolve_env(procs.workdir)
    rec = procs.recorder("ws://stream.slow-resolve.test:6969/", "r", "r.jsonl", "--connect-timeout", "300ms", env=env)
    wait_until(mark.exists, 10, "the recorder to start its name lookup")
    rec.wait_output(r"cannot connect to ws://stream\.slow-resolve\.test:6969/: Connection timed out",
                    5, "the lookup to time out")
    rec.wait_output(r"reconnecting in \d+ ms \(attempt 2\)", 10, "a second attempt")
    assert rec.stop(timeout=3) == 0, rec.stderr()


def test_a_second_signal_cuts_a_close_the_server_does_not_answer(procs):
    server = procs.server()
    rec = procs.recorder(server.url, "r")
    rec.wait_packets(3)
    server.send_signal(signal.SIGSTOP)  # its kernel still takes the close frame; nobody answers it
    try:
        rec.send_signal(signal.SIGINT)
        wait_until(lambda: "closing the connection" in rec.stderr(), 5, "the recorder to start closing")
        assert rec.running(), "the close handshake waits for the server"
        assert rec.stop(signal.SIGINT, timeout=3) == 0, rec.stderr()
    finally:
        server.send_signal(signal.SIGCONT)
    assert read_jsonl(rec.out)[-1]["event"] == "disconnected"
