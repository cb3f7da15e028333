"""Issue 14: a client that knows nothing of the protocol gets the stream, and
a hello can ride in the URL: a client resumes without sending a message."""

import asyncio
import http.client
import json
import subprocess
import urllib.request



from conftest import BIN, SLOW, assert_contiguous, connect, recv_json, recv_type, run


async def packets(ws, n, timeout=5):
    """The next n packets (skipping nothing else: a plain client gets only packets)."""
    out = []
    while len(out) < n:
        m = await recv_json(ws, timeout)
        assert m["type"] == "packet", m
        out.append(m)
    return out


def test_a_client_that_sends_nothing_gets_the_welcome_then_packets(procs):
    server = procs.server(interval="50ms")

    async def go():
        ws = await connect(server.url)
        welcome = await recv_json(ws)
        assert welcome["type"] == "welcome" and "subscribed" not in welcome, welcome
        got = await packets(ws, 10)
        await ws.close()
        return got

    got = run(go())
    assert_contiguous([p["seq"] for p in got])
    assert all(len(p["arrays"]) == 5 for p in got)


def test_a_plain_client_is_listed_by_its_address_without_a_name(procs):
    server = procs.server(interval="50ms")

    async def go():
        ws = await connect(server.url)
        await recv_json(ws)
        await packets(ws, 2)
        clients = json.loads(urllib.request.urlopen(server.url.replace("ws", "http") + "clients").read())
        await ws.close()
        return clients

    clients = run(go())
    assert len(clients) == 1
    assert clients[0]["name"] == "" and clients[0]["address"].startswith("127.0.0.1:"), clients


def test_a_url_query_resume_gets_exactly_the_missed_packets_before_live_ones(procs):
    server = procs.server(interval="20ms")

    async def go():
        first = await connect(server.url + "?name=lab")
        welcome = await recv_json(first)
        seen = await packets(first, 5)
        await first.close()
        await asyncio.sleep(0.5)  # about 25 packets go by
        last = seen[-1]["seq"]
        again = await connect(f"{server.url}?name=lab&epoch={welcome['epoch']}&last_seq={last}")
        assert (await recv_json(again))["subscribed"] is True, "the welcome says the URL's hello was taken"
        rest = await packets(again, 40)
        await again.close()
        return last, rest

    last, rest = run(go())
    seqs = [p["seq"] for p in rest]
    assert seqs[0] == last + 1, seqs[:5]
    assert_contiguous(seqs)


def test_a_query_resume_from_another_epoch_is_told_the_gap(procs):
    server = procs.server(interval="20ms")

    async def go():
        ws = await connect(f"{server.url}?epoch={server.epoch + 1}&last_seq=7")
        await recv_json(ws)
        return await recv_type(ws, "gap")

    gap = run(go())
    assert gap["from"] == 8 and gap["to"] is None and gap["reason"] == "new epoch"


def test_encoding_in_the_query_gets_binary_packets(procs):
    server = procs.server(interval="20ms")

    async def go():
        ws = await connect(server.url + "?encoding=binary")
        assert json.loads(await ws.recv())["type"] == "welcome"
        frames = [await asyncio.wait_for(ws.recv(), 5 * SLOW) for _ in range(3)]
        await ws.close()
        return frames

    frames = run(go())
    assert all(isinstance(f, bytes) and f[0] == 2 for f in frames), [f[:4] for f in frames]


def test_a_hello_after_the_stream_started_is_refused_and_the_stream_goes_on(procs):
    server = procs.server("--hello-wait", "100ms", interval="20ms")

    async def go():
        ws = await connect(server.url)
        await recv_json(ws)
        got = await packets(ws, 2)
        await ws.send(json.dumps({"type": "hello", "name": "tardy", "epoch": server.epoch, "last_seq": 1}))
        error = None
        while error is None or len(got) < 6:  # the packets around the error are kept, not skipped
            m = await recv_json(ws)
            if m["type"] == "error":
                error = m
            else:
                assert m["type"] == "packet", m
                got.append(m)
        await ws.close()
        return error, got

    error, got = run(go())
    assert error["code"] == "bad_message" and "stream already started" in error["message"], error
    assert_contiguous([p["seq"] for p in got])


def test_a_hello_message_after_a_query_hello_is_refused(procs):
    server = procs.server(interval="20ms")

    async def go():
        ws = await connect(server.url + "?name=q")
        await recv_json(ws)
        await ws.send(json.dumps({"type": "hello", "name": "again"}))
        error = await recv_type(ws, "error")
        await ws.close()
        return error

    assert "already" in run(go())["message"]


def test_a_bad_query_is_refused_before_the_upgrade_with_the_reason(procs):
    server = procs.server()
    for query, reason in [("?epoch=3", 'give both "epoch" and "last_seq"'),
                          ("?epoch=1&last_seq=x", '"last_seq" must be a whole number, not "x"'),
                          ("?encoding=xml", '"encoding" must be "json" or "binary"')]:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5 * SLOW)
        conn.request("GET", "/" + query, headers={
            "Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="})
        answer = conn.getresponse()
        assert answer.status == 400, (query, answer.status)
        assert reason in answer.read().decode(), query
        conn.close()

    async def still_serving():
        ws = await connect(server.url)
        await recv_json(ws)
        await packets(ws, 1)
        await ws.close()

    run(still_serving())


def test_hello_wait_is_validated():
    result = subprocess.run([BIN, "serve", "--hello-wait", "soon"], capture_output=True, text=True, timeout=10)
    assert result.returncode == 2
    assert "--hello-wait" in result.stderr
