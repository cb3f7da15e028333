"""1,000 connect/disconnect cycles leave the server as they found it: the same
open file descriptors, about the same memory, every admission slot free."""

import asyncio
import json
import time

import websockets

from conftest import HOST, RSS_SLACK_KIB, SLOW, connect, hello, recv_type, run, wait_until

CYCLES = 1000
CONCURRENCY = 8
MAX_CLIENTS = 20


async def one_cycle(url, port, i):
    """One client's life, in one of four ways to leave."""
    way = i % 4
    if way == 3:  # a TCP connection that never upgrades
        reader, writer = await asyncio.open_connection(HOST, port)
        writer.close()
        await writer.wait_closed()
        return
    ws = await connect(url, close_timeout=1)
    if way == 0:  # clean: hello, a packet maybe, close 1000
        await hello(ws, f"churn{i}")
        await ws.send(json.dumps({"type": "ack", "seq": 1}))
        await ws.close()
    elif way == 1:  # abrupt: hello, then the TCP connection just goes
        await hello(ws, f"churn{i}")
        ws.transport.abort()
    else:  # abrupt before hello, with the welcome unread
        ws.transport.abort()
    await asyncio.wait_for(ws.wait_closed(), 5 * SLOW)


async def churn(url, port):
    refused = 0
    queue = list(range(CYCLES))

    async def worker():
        nonlocal refused
        while queue:
            i = queue.pop()
            for _ in range(100):
                try:
                    await one_cycle(url, port, i)
                    break
                except websockets.InvalidStatusCode as e:
                    # Teardown of aborted sessions is asynchronous: a burst may briefly fill the slots.
                    assert e.status_code == 503
                    refused += 1
                    await asyncio.sleep(0.01)
            else:
                raise AssertionError("slots never freed up")

    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return refused


def test_a_thousand_connections_come_and_go_without_leaks(procs):
    server = procs.server("--max-clients", str(MAX_CLIENTS), interval="10ms")
    url, port = server.url, server.port

    # Warm up allocators and lazily created state, then take the baseline.
    run(churn_few(url, port))
    def settle():
        def ended():
            lines = server.stdout().splitlines()
            return sum(x.endswith(" connected") for x in lines) == sum(x.endswith(" disconnected") for x in lines)
        wait_until(ended, 5, "every session to end")

    settle()
    fds = stable_fd_count(server)
    rss = server.rss_kib()

    refused = run(churn(url, port), timeout=50)
    assert refused < CYCLES / 2

    wait_until(lambda: server.fd_count() == fds, 5, f"open fds to return to {fds} (now {server.fd_count()})")
    settle()
    after_rss = server.rss_kib()
    assert after_rss - rss < 20 * 1024 + RSS_SLACK_KIB, f"RSS grew from {rss} to {after_rss} KiB"
    assert server.running()

    # Every admission slot is free again: MAX_CLIENTS clients at once are all admitted and served.
    async def full_house():
        clients = [await connect(url) for _ in range(MAX_CLIENTS)]
        for i, ws in enumerate(clients):
            await hello(ws, f"after{i}")
        seqs = [(await recv_type(ws, "packet"))["seq"] for ws in clients]
        for ws in clients:
            await ws.close()
        return seqs

    assert all(s > 0 for s in run(full_house()))


def stable_fd_count(server, quiet=0.3):
    """The server's open fd count once it has not changed for `quiet` seconds
    (connections that never upgraded are closed without a log line)."""
    state = {"n": server.fd_count(), "since": time.monotonic()}

    def stable():
        n = server.fd_count()
        if n != state["n"]:
            state.update(n=n, since=time.monotonic())
        return time.monotonic() - state["since"] >= quiet

    wait_until(stable, 5, "the server's fd count to settle")
    return state["n"]


async def churn_few(url, port):
    for i in range(8):
        await one_cycle(url, port, i)
