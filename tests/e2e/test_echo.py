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
