"""The producer side: /publish on the server (--source publish --allow-publish)
and `arraycast publish`.

Producers here are Python websockets clients speaking the protocol of
docs/PROTOCOL.md ("Producers"), and the real `arraycast publish`; what they
publish is checked in the files of real recorders."""

import asyncio
import http.client
import json
import re
import signal
import subprocess
import time

import pytest
import websockets

from conftest import BIN, CHILD_ENV, HOST, SLOW, Proc, connect, free_port, recv_json, run, wait_until

PUBLISH = ["--source", "publish", "--allow-publish"]


def upgrade(port, path):
    """(status, body) of a WebSocket upgrade request the server refuses."""
    conn = http.client.HTTPConnection(HOST, port, timeout=5 * SLOW)
    conn.request("GET", path, headers={"Upgrade": "websocket", "Connection": "Upgrade",
                                       "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
                                       "Sec-WebSocket-Version": "13"})
    r = conn.getresponse()
    status, body = r.status, r.read().decode()
    conn.close()
    return status, body


def metric(port, name):
    conn = http.client.HTTPConnection(HOST, port, timeout=5 * SLOW)
    conn.request("GET", "/metrics")
    body = conn.getresponse().read().decode()
    conn.close()
    m = re.search(rf"^{re.escape(name)} (\d+)$", body, re.M)
    return int(m.group(1)) if m else None


def publish_url(server):
    return f"ws://{HOST}:{server.port}/publish"


async def reconnect(server, within=5):
    """Connects to /publish again, while the server may still be letting the
    previous connection go (409 until then)."""
    deadline = asyncio.get_running_loop().time() + within * SLOW
    while True:
        try:
            return await connect(publish_url(server))
        except websockets.InvalidStatusCode as e:
            if e.status_code != 409 or asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.02)


async def send(ws, pseq, arrays, producer="py-1", ts=None):
    msg = {"type": "publish", "producer": producer, "pseq": pseq, "arrays": arrays}
    if ts is not None:
        msg["ts"] = ts
    await ws.send(json.dumps(msg))


def kinds(arrays):
    """Arrays with each value's kind, since 1 == 1.0 in Python."""
    return [[(type(v).__name__, v) for v in a] for a in arrays]


def said_hello(server, name):
    server.wait_output(rf"{name} \(127\.0\.0\.1:\d+\) said hello")


def recorded(rec, n):
    return rec.wait_packets(n)[:n]


# --------------------------------------------------------------------------- refusals


def test_publish_is_refused_without_allow_publish(procs):
    server = procs.server()
    status, body = upgrade(server.port, "/publish")
    assert status == 403
    assert "--allow-publish" in body
    server.wait_output(r"refusing a producer from 127\.0\.0\.1: publishing is off")


@pytest.mark.parametrize("flags, complaint", [
    (["--allow-publish"], "--allow-publish needs --source publish"),
    (["--source", "publish"], "--source publish needs --allow-publish"),
])
def test_publish_flags_come_together(flags, complaint):
    r = subprocess.run([str(BIN), "serve", "--port", "0", *flags], capture_output=True, text=True,
                       timeout=10 * SLOW, env=CHILD_ENV)
    assert r.returncode != 0
    assert complaint in r.stderr + r.stdout


def test_a_second_producer_is_refused_while_one_is_connected(procs):
    server = procs.server(*PUBLISH)

    async def scenario():
        first = await connect(publish_url(server))
        status, body = await asyncio.to_thread(upgrade, server.port, "/publish")
        assert status == 409, body
        assert "one at a time" in body
        await first.close()
        # Once the first has gone, the next one is welcome.
        second = await reconnect(server)
        await second.close()

    run(scenario())


# --------------------------------------------------------------------------- what is published


def test_published_packets_reach_a_recorder_with_their_values_and_acks_carry_seqs(procs):
    server = procs.server(*PUBLISH)
    rec = procs.recorder(server.url, "rec")
    said_hello(server, "rec")
    sent = [
        [[1, 2, 3], [4, 5, 6]],
        [[0.5, -2.25], [1e-300], [7]],         # doubles, ragged
        [[], [9007199254740993, -9223372036854775808]],  # empty array, exact big integers
        [[3.0, 3]],                            # 3.0 stays a double, 3 an integer
    ]

    async def scenario():
        ws = await connect(publish_url(server))
        acks = []
        for pseq, arrays in enumerate(sent, start=1):
            await send(ws, pseq, arrays, ts=1_700_000_000_000_000 + pseq)
            acks.append(await recv_json(ws))
        await ws.close()
        return acks

    acks = run(scenario())
    assert acks == [{"type": "published", "pseq": i, "seq": i} for i in range(1, len(sent) + 1)]
    packets = recorded(rec, len(sent))
    assert [p["seq"] for p in packets] == [1, 2, 3, 4]
    assert [kinds(p["arrays"]) for p in packets] == [kinds(a) for a in sent]
    assert [p["ts"] for p in packets] == [1_700_000_000_000_000 + i for i in range(1, 5)]
    server.wait_output(r"publishes as producer py-1")


def test_a_resent_packet_is_acked_again_and_never_streamed_twice(procs):
    server = procs.server(*PUBLISH)
    rec = procs.recorder(server.url, "rec")
    said_hello(server, "rec")

    async def scenario():
        ws = await connect(publish_url(server))
        for pseq in (1, 2, 3):
            await send(ws, pseq, [[pseq]])
            assert await recv_json(ws) == {"type": "published", "pseq": pseq, "seq": pseq}
        await send(ws, 2, [[2]])  # a resend on the same connection
        assert await recv_json(ws) == {"type": "published", "pseq": 2, "seq": 2}
        await ws.close()
        # A reconnect, as after a lost connection: the same producer resends 3, then goes on.
        ws = await reconnect(server)
        await send(ws, 3, [[3]])
        assert await recv_json(ws) == {"type": "published", "pseq": 3, "seq": 3}
        await send(ws, 4, [[4]])
        assert await recv_json(ws) == {"type": "published", "pseq": 4, "seq": 4}
        await ws.close()

    run(scenario())
    packets = recorded(rec, 4)
    assert [(p["seq"], p["arrays"]) for p in packets] == [(i, [[i]]) for i in range(1, 5)]
    # Nothing more arrives: the resends were not streamed.
    rec.stop()
    assert len(rec.packets()) == 4


def test_a_pseq_jump_is_announced_to_recorders_as_lost_packets(procs):
    server = procs.server(*PUBLISH)
    rec = procs.recorder(server.url, "rec")
    said_hello(server, "rec")

    async def scenario():
        ws = await connect(publish_url(server))
        await send(ws, 1, [[1]])
        assert (await recv_json(ws))["seq"] == 1
        await send(ws, 5, [[5]])  # 2, 3 and 4 never come
        assert await recv_json(ws) == {"type": "published", "pseq": 5, "seq": 5}
        await ws.close()

    run(scenario())
    recorded(rec, 2)
    gaps = rec.events("gap")
    assert [(g["from"], g["to"]) for g in gaps] == [(2, 4)], gaps
    assert "skipped 3 packets" in gaps[0]["reason"]


def test_malformed_messages_get_an_error_and_the_stream_goes_on(procs):
    server = procs.server(*PUBLISH)
    rec = procs.recorder(server.url, "rec")
    said_hello(server, "rec")
    bad = [
        ("not json", "bad_json", None),
        (json.dumps({"type": "publish", "producer": "py-1", "arrays": [[1]]}), "bad_message", None),
        (json.dumps({"type": "publish", "producer": "py-1", "pseq": 1, "arrays": [["x"]]}), "bad_value", 1),
        (json.dumps({"type": "publish", "producer": "py-1", "pseq": 1, "arrays": [1, 2]}), "bad_message", 1),
        (json.dumps({"type": "hello", "name": "x"}), "unknown_type", None),
        (b"\x01\x02", "unsupported", None),
    ]

    async def scenario():
        ws = await connect(publish_url(server))
        for text, code, pseq in bad:
            await ws.send(text)
            reply = await recv_json(ws)
            assert reply["type"] == "error" and reply["code"] == code, (text, reply)
            assert reply.get("pseq") == pseq, (text, reply)
            assert reply["message"], reply
        await send(ws, 1, [[1, 2]])
        assert await recv_json(ws) == {"type": "published", "pseq": 1, "seq": 1}
        await send(ws, 2, [[3]], producer="someone-else")
        reply = await recv_json(ws)
        assert (reply["code"], reply["pseq"]) == ("wrong_producer", 2)
        await ws.close()

    run(scenario())
    assert recorded(rec, 1)[0]["arrays"] == [[1, 2]]
    # /metrics is rendered at most every so often: wait for a fresh one.
    wait_until(lambda: metric(server.port, 'arraycast_source_rejected_total{reason="bad_value"}') == 1, 5,
               "the bad value to be counted")
    assert metric(server.port, 'arraycast_source_rejected_total{reason="not_a_packet"}') == 5
    server.wait_output(r"source input rejected \(bad_value\)")


def test_a_message_over_max_publish_message_is_closed_with_1009(procs):
    server = procs.server(*PUBLISH, "--max-publish-message", "1024")

    async def scenario():
        ws = await connect(publish_url(server))
        await send(ws, 1, [list(range(1000))])
        try:
            await asyncio.wait_for(ws.recv(), 5 * SLOW)
        except websockets.ConnectionClosed as e:
            return e.rcvd.code if e.rcvd else None

    assert run(scenario()) == 1009
    wait_until(lambda: metric(server.port, 'arraycast_source_rejected_total{reason="too_long"}') == 1, 5,
               "the too_long rejection to be counted")


# --------------------------------------------------------------------------- arraycast publish


SUMMARY = re.compile(r"read (\d+) packets: (\d+) acknowledged, (\d+) dropped here, (\d+) refused by the server, "
                     r"(\d+) unacknowledged")


def summary_of(producer):
    """(read, acknowledged, dropped, refused, unacknowledged) from the producer's last line."""
    m = SUMMARY.search(producer.output())
    assert m, producer.output()[-2000:]
    return tuple(map(int, m.groups()))


def start_producer(procs, port, *extra):
    proc = Proc([BIN, "publish", "--url", f"ws://{HOST}:{port}/publish", *extra], procs.workdir,
                procs._label("producer"))
    procs.started.append(proc)
    return proc


def test_arraycast_publish_stops_when_the_server_refuses_producers(procs):
    server = procs.server()
    producer = start_producer(procs, server.port, "--from", "random")
    assert producer.wait_exit(10) == 1
    assert "403" in producer.output() and "--allow-publish" in producer.output()


def test_a_source_that_can_wait_waits_for_acks_and_loses_nothing(procs):
    server = procs.server(*PUBLISH)
    rec = procs.recorder(server.url, "rec")
    said_hello(server, "rec")
    producer = start_producer(procs, server.port, "--from", "random", "--interval", "0", "--buffer", "8")
    rec.wait_packets(500, timeout=20)
    assert producer.stop() == 0
    read, acked, dropped, _, unacked = summary_of(producer)
    assert (dropped, unacked) == (0, 0) and acked == read
    wait_until(lambda: len(rec.packets()) == read, 10, f"the recorder to get all {read} packets")
    assert [p["seq"] for p in rec.packets()] == list(range(1, read + 1))
    assert not rec.events("gap")


def test_a_live_source_over_a_full_buffer_drops_and_the_server_announces_the_hole(procs):
    server = procs.server(*PUBLISH)
    rec = procs.recorder(server.url, "rec")
    said_hello(server, "rec")
    producer = start_producer(procs, server.port, "--from", "random", "--rate", "200", "--buffer", "20")
    rec.wait_packets(20)
    # A server that takes packets but acknowledges none: the buffer fills.
    server.send_signal(signal.SIGSTOP)
    producer.wait_output(r"dropped packet \d+: the buffer of unacknowledged packets is full", timeout=5)
    server.send_signal(signal.SIGCONT)
    wait_until(lambda: rec.events("gap"), 10, "the recorder to be told of the dropped packets")
    producer.stop()
    read, acked, dropped, _, unacked = summary_of(producer)
    assert dropped > 0
    # Every packet the producer read is either recorded or inside an announced
    # hole; the buffer may free a slot between drops, so there can be several.
    wait_until(lambda: len(rec.packets()) >= acked, 10, "the acknowledged packets to be recorded")

    def announced():
        return {s for g in rec.events("gap") for s in range(g["from"], g["to"] + 1)}

    wait_until(lambda: len(announced()) >= dropped, 10, "every dropped packet to be announced")
    assert all("skipped" in g["reason"] for g in rec.events("gap")), rec.events("gap")
    holes = announced()
    assert len(holes) == dropped
    seqs = [p["seq"] for p in rec.packets()]
    assert seqs == [s for s in range(1, seqs[-1] + 1) if s not in holes]


def reference_arrays(procs, seed, count, shape):
    """Packets 1..count of `serve --source random --seed` with this shape: what
    `publish --from random --seed` reads, packet by packet."""
    server = procs.server("--history", "100000", *shape, interval="500us", seed=seed, label="reference")

    async def fetch():
        ws = await connect(server.url)
        welcome = await recv_json(ws)
        await ws.send(json.dumps({"type": "hello", "name": "ref", "epoch": welcome["epoch"], "last_seq": 0}))
        out = []
        while len(out) < count:
            m = await recv_json(ws)
            if m["type"] == "packet":
                assert m["seq"] == len(out) + 1, m
                out.append(m["arrays"])
        await ws.close()
        return out

    arrays = run(fetch(), timeout=30)
    server.kill()
    return arrays


def test_arraycast_publish_survives_two_server_kills_without_loss(procs):
    port = free_port()
    shape = ["--arrays", "2", "--length", "3"]
    server = procs.server(*PUBLISH, port=port, label="server-a")
    recorders = [procs.recorder(server.url, f"rec{i}") for i in (1, 2)]
    said_hello(server, "rec1")
    said_hello(server, "rec2")
    producer = start_producer(procs, port, "--from", "random", "--seed", "1", "--rate", "200", *shape)

    for kills, (n, label) in enumerate(((150, "server-b"), (300, "server-c")), start=1):
        for rec in recorders:
            rec.wait_packets(n, timeout=20)
        # Stopped first, so that packets are sent and never acknowledged: the
        # producer must resend them to the next server.
        server.send_signal(signal.SIGSTOP)
        time.sleep(0.3)
        server.kill()
        # While the server is down the producer keeps reading, and holds what it read.
        wait_until(lambda: producer.output().count("lost connection to") == kills, 5, "the producer to notice")
        server = procs.server(*PUBLISH, port=port, label=label)
    for rec in recorders:
        wait_until(lambda: len({p["epoch"] for p in rec.packets()}) == 3 and len(rec.packets()) >= 450, 20,
                   f"{rec.label} to record 450 packets in three epochs")

    code = producer.stop()
    read, acked, dropped, refused, unacked = summary_of(producer)
    assert (dropped, refused) == (0, 0)
    assert code == (0 if unacked == 0 else 1)
    # What the producer had published reaches the recorders before we look.
    for rec in recorders:
        wait_until(lambda: len(rec.packets()) >= acked, 10, f"{rec.label} to record the {acked} acknowledged packets")
    reference = reference_arrays(procs, 1, read, shape)
    for rec in recorders:
        # Every packet the producer read, in order, none missing; the last few it
        # read may not have reached the server before it was stopped. A packet
        # that a killed server had written to the clients but not yet
        # acknowledged is resent, and so recorded again, in the next epoch only.
        matched, epoch_of, resent = 0, {}, 0
        for p in rec.packets():
            if matched < len(reference) and p["arrays"] == reference[matched]:
                epoch_of[matched] = p["epoch"]
                matched += 1
                continue
            earlier = [i for i in range(max(0, matched - 200), matched) if reference[i] == p["arrays"]]
            assert earlier, f"{rec.label}: {p} is neither the producer's next packet ({matched + 1}) nor a resend"
            assert epoch_of[earlier[-1]] != p["epoch"], f"{rec.label}: packet {earlier[-1] + 1} twice in one epoch"
            resent += 1
        assert acked <= matched <= read, (acked, matched, read)
        assert resent <= 2 * 200, resent  # at most what two kills caught unacknowledged
        epochs = [p["epoch"] for p in rec.packets()]
        assert len(set(epochs)) == 3
