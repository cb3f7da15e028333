"""Bad input from one client is answered, logged sparingly, and never
disturbs the other clients."""

import json
import re

import pytest

from conftest import (assert_contiguous, by_epoch, close_code_of, connect, hello, read_jsonl, recv_json, recv_type, run)


@pytest.fixture
def stream(procs):
    """A server with one well-behaved recorder, checked after the test: it got
    every packet once, over one connection."""
    server = procs.server()
    rec = procs.recorder(server.url, "bystander")
    rec.wait_packets(3)
    yield server
    n = len(rec.packets())
    rec.wait_packets(n + 3)
    assert server.running()
    assert rec.stop() == 0
    lines = read_jsonl(rec.out)
    assert [x["event"] for x in lines if "event" in x] == ["connected", "disconnected"]
    assert_contiguous(by_epoch(rec.packets())[server.epoch])


BAD = [
    ("not json", "bad_json"),
    ("[1, 2, 3]", "bad_json"),
    ('{"type": 7}', "bad_message"),
    ('{"type": "frobnicate"}', "unknown_type"),
    ('{"type": "ack", "seq": -1}', "bad_message"),
    ('{"type": "hello", "name": ""}', "bad_message"),
    ('{"type": "hello", "name": "x", "epoch": 1}', "bad_message"),
    (b"\x00\xff\xfe binary junk \x81", "bad_message"),
]


def test_bad_messages_get_an_error_and_the_connection_stays_open(stream):
    server = stream

    async def scenario():
        ws = await connect(server.url)
        await hello(ws, "sloppy")
        answers = []
        for message, _ in BAD:
            await ws.send(message)
            answers.append(await recv_type(ws, "error"))
        # Still open, still streaming, still listening.
        seq = (await recv_type(ws, "packet"))["seq"]
        await ws.send(json.dumps({"type": "ack", "seq": seq}))
        after = (await recv_type(ws, "packet"))["seq"]
        await ws.close()
        return answers, seq, after, ws.close_code

    answers, seq, after, code = run(scenario())
    for (message, expected), answer in zip(BAD, answers):
        assert answer["code"] == expected, (message, answer)
        assert isinstance(answer["message"], str) and answer["message"], answer
    assert "binary" in answers[-1]["message"]
    assert after == seq + 1
    assert code == 1000
    server.wait_output(rf"sloppy received packet {seq}\b", 5)


def test_a_second_hello_is_refused(stream):
    server = stream

    async def scenario():
        ws = await connect(server.url)
        await hello(ws, "twice")
        await ws.send(json.dumps({"type": "hello", "name": "again"}))
        error = await recv_type(ws, "error")
        await recv_type(ws, "packet")
        await ws.close()
        return error

    assert run(scenario())["code"] == "bad_message"


@pytest.mark.parametrize("kind", ["text", "binary", "hello"])
def test_an_oversized_message_closes_with_1009(stream, kind):
    server = stream
    payload = {"text": "x" * 5000, "binary": b"\x01" * 5000,
               "hello": json.dumps({"type": "hello", "name": "big", "pad": "y" * 5000})}[kind]

    async def scenario():
        ws = await connect(server.url)
        await hello(ws, "hoarder")
        await ws.send(payload)
        return await close_code_of(ws)

    assert run(scenario()) == 1009
    # Right under the limit is fine.
    async def just_under():
        ws = await connect(server.url)
        await hello(ws, "modest")
        await ws.send(json.dumps({"type": "ack", "seq": 1, "pad": "z" * 4000}))
        await recv_type(ws, "packet")
        await ws.close()
        return ws.close_code

    assert run(just_under()) == 1000


def test_a_flood_of_garbage_closes_with_1008_and_the_log_stays_short(stream):
    server = stream

    async def scenario():
        ws = await connect(server.url)
        await hello(ws, "flooder")
        try:
            for i in range(150):
                await ws.send(f"garbage {i}")
        except Exception:
            pass  # the server may close before the last ones are sent
        return await close_code_of(ws)

    assert run(scenario()) == 1008
    server.wait_output(r"flooder \(127\.0\.0\.1:\d+\) disconnected", 5)
    about_it = [line for line in server.stdout().splitlines() if re.search(r"\bflooder\b", line)
                and "received packet" not in line]
    # hello, 3 logged bad messages, the close, the disconnect: a handful, not 150.
    assert len(about_it) <= 8, "\n".join(about_it)
    assert sum("bad message" in line for line in about_it) <= 3


def test_garbage_before_hello_is_answered_too(stream):
    server = stream

    async def scenario():
        ws = await connect(server.url)
        welcome = await recv_json(ws)
        assert welcome["type"] == "welcome"
        await ws.send("{")
        error = await recv_json(ws)
        await ws.send(json.dumps({"type": "hello", "name": "late"}))
        packet = await recv_type(ws, "packet")
        await ws.close()
        return error, packet

    error, packet = run(scenario())
    assert error["type"] == "error" and error["code"] == "bad_json"
    assert packet["seq"] > 0
