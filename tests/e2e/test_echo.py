"""/echo (with --echo): every message comes back unchanged, same frame type,
up to 16 MiB, and nothing is sent unasked. Without --echo there is no /echo."""

import asyncio
import os

import pytest
import websockets

from conftest import connect, run


def echo_url(server):
    return server.url.rstrip("/") + "/echo"


def test_echo_returns_each_message_with_its_frame_type(procs):
    server = procs.server("--echo")
    big = os.urandom(16 * 1024 * 1024)

    async def scenario():
        ws = await connect(echo_url(server), max_size=None)
        with pytest.raises(asyncio.TimeoutError):  # nothing unasked
            await asyncio.wait_for(ws.recv(), 0.3)
        for message in ["hello", "", "ünïcödé ✓" * 1000, b"\x00\xff binary", b"", big]:
            await ws.send(message)
            back = await asyncio.wait_for(ws.recv(), 30)
            assert type(back) is type(message)
            assert back == message
        await ws.close()
        assert ws.close_code == 1000

    run(scenario(), timeout=120)
    assert server.running()


def test_echo_is_off_by_default(procs):
    server = procs.server()

    async def scenario():
        with pytest.raises(websockets.exceptions.InvalidStatusCode) as refused:
            await connect(echo_url(server))
        assert refused.value.status_code == 404

    run(scenario())


def test_echo_sessions_count_against_max_connections(procs):
    server = procs.server("--echo", "--max-clients", "1", "--max-connections", "2")

    async def scenario():
        a, b = await connect(echo_url(server)), await connect(echo_url(server))
        # A third connection, whatever it would have asked for, is closed unanswered.
        with pytest.raises((websockets.exceptions.InvalidMessage, websockets.exceptions.ConnectionClosed,
                            ConnectionError, asyncio.TimeoutError, EOFError)):
            await connect(echo_url(server), open_timeout=2)
        for ws in (a, b):  # the admitted ones still echo
            await ws.send("still here")
            assert await asyncio.wait_for(ws.recv(), 5) == "still here"
        await a.close()
        for _ in range(50):  # its place is free again
            try:
                c = await connect(echo_url(server))
                break
            except (websockets.exceptions.InvalidMessage, ConnectionError, EOFError):
                await asyncio.sleep(0.05)
        else:
            raise AssertionError("a freed place was never given to a new /echo client")
        await c.send(b"again")
        assert await asyncio.wait_for(c.recv(), 5) == b"again"
        await b.close()
        await c.close()

    run(scenario())
