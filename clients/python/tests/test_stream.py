"""arraycast.stream against a real `arraycast serve` on loopback."""

import asyncio
import json
import socket
import subprocess

import pytest

import arraycast
from arraycast import Connected, Disconnected, Gap, Packet
from conftest import BIN, SLOW, read_jsonl_packets, run, wait_until

# What a producer prints: doubles, ragged and empty arrays, 64-bit integers, mixed kinds.
LINES = ["[[1,2,3],[4.5,-6]]", "[[],[0.1],[1e300,-2.5e-10,3]]", "[[9007199254740993,-9223372036854775808]]",
         "[[0.5,0.25],[-1.0]]", "[[1,2],[3,4]]", "[[]]", "[[7]]"]
EXPECTED = [json.loads(line) for line in LINES]

try:
    import numpy
except ImportError:
    numpy = None


def typed(arrays):
    """Values with their kind: 2 and 2.0 differ here, as on the wire."""
    return [[(type(v).__name__, v) for v in (a.tolist() if hasattr(a, "tolist") else a)] for a in arrays]


async def take(n, *args, **kwargs):
    """The first n items the stream yields (leaving the loop closes the connection)."""
    items = []
    async for item in arraycast.stream(*args, **kwargs):
        items.append(item)
        if len(items) == n:
            return items


async def wait_for(condition, timeout, what):
    """wait_until for code inside the event loop: the loop keeps running between polls."""
    for _ in range(int(timeout * SLOW / 0.05)):
        if value := await asyncio.to_thread(condition):
            return value
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def metric(server, name):
    line = next(x for x in server.get("/metrics").splitlines() if x.startswith(name + " "))
    return int(float(line.split()[1]))


def seqs_of(items, epoch=None):
    return [i.seq for i in items if isinstance(i, Packet) and epoch in (None, i.epoch)]


@pytest.mark.parametrize("encoding, as_numpy", [("json", False), ("binary", False), ("json", True), ("binary", True)])
def test_both_encodings_give_the_values_the_producer_sent(procs, tmp_path, encoding, as_numpy):
    if as_numpy and numpy is None:
        pytest.skip("numpy is not installed (Debian: python3-numpy)")
    (tmp_path / "input.txt").write_text("\n".join(LINES) + "\n")
    with open(tmp_path / "input.txt", "rb") as stdin:
        server = procs.server("--source", "stdin", stdin=stdin)
    wait_until(lambda: json.loads(server.get("/healthz"))["source"] == "ended", 10, "the source to end")
    got = run(take(len(LINES), server.url, resume_from=(server.epoch, 0), encoding=encoding, numpy=as_numpy))
    assert [(p.epoch, p.seq) for p in got] == [(server.epoch, s) for s in range(1, len(LINES) + 1)]
    if as_numpy:
        assert all(isinstance(a, numpy.ndarray) for p in got for a in p.arrays)
    # numpy: one dtype per array, float64 once it holds a double
    expected = [[[float(v) for v in a] if as_numpy and float in map(type, a) else a for a in arrays] for arrays in EXPECTED]
    assert [typed(p.arrays) for p in got] == [typed(a) for a in expected]


@pytest.mark.parametrize("encoding", ["json", "binary"])
def test_the_module_and_the_recorder_get_the_same_packets(procs, encoding):
    server = procs.server("--arrays", "4", "--length", "6", "--min", "-100000", "--max", "100000")
    _, out = procs.recorder(server.url, "rec")
    wait_until(lambda: read_jsonl_packets(out), 10, "the recorder's first packet")
    got = run(take(20, server.url, name="module", encoding=encoding))
    wait_until(lambda: any(p["seq"] >= got[-1].seq for p in read_jsonl_packets(out)), 10, "the recorder to catch up")
    recorded = {p["seq"]: p for p in read_jsonl_packets(out)}
    assert seqs_of(got) == list(range(got[0].seq, got[0].seq + 20))
    for p in got:
        assert (p.epoch, p.ts, p.arrays) == (recorded[p.seq]["epoch"], recorded[p.seq]["ts"], recorded[p.seq]["arrays"])


def test_a_packet_is_acked_once_the_consumer_asks_for_the_next(procs):
    server = procs.server(interval="50ms")

    def last_acked():
        return next((c["last_acked"] for c in server.clients() if c["name"] == "slow"), None)

    async def scenario():
        first = None
        async for p in arraycast.stream(server.url, name="slow"):
            first = first or p.seq
            if p.seq == first + 3:  # hold this packet: everything before it is acked, it is not
                await wait_for(lambda: last_acked() == p.seq - 1, 5, f"the ack of {p.seq - 1}")
                await asyncio.sleep(1.2)  # longer than /clients' render cache: a fresh value
                assert await asyncio.to_thread(last_acked) == p.seq - 1
            if p.seq == first + 4:  # asking for the next one acked it
                return await wait_for(lambda: last_acked() == p.seq - 1, 5, f"the ack of {p.seq - 1}")

    run(scenario())


def test_a_resume_after_a_disconnect_gets_exactly_the_missed_packets(procs):
    server = procs.server()
    first = run(take(5, server.url, name="resumer"))
    left_at = (first[-1].epoch, first[-1].seq)
    wait_until(lambda: metric(server, "arraycast_stream_head_seq") >= left_at[1] + 20, 10, "20 packets missed")
    again = run(take(30, server.url, name="resumer", resume_from=left_at))
    assert all(isinstance(i, Packet) and i.epoch == left_at[0] for i in again), [i for i in again if isinstance(i, Gap)]
    assert seqs_of(again) == list(range(left_at[1] + 1, left_at[1] + 31))


@pytest.mark.parametrize("encoding", ["json", "binary"])
def test_a_server_killed_and_restarted_costs_nothing_but_what_died_with_it(procs, encoding):
    server = procs.server(interval="20ms")
    items = []

    async def consume():
        async for item in arraycast.stream(server.url, name="survivor", encoding=encoding, events=True):
            items.append(item)

    async def scenario():
        task = asyncio.create_task(consume())
        await wait_for(lambda: len(seqs_of(items)) >= 10, 10, "10 packets before the kill")
        server.kill()
        restarted = await asyncio.to_thread(procs.server, port=server.port, interval="20ms")
        await wait_for(lambda: len(seqs_of(items, restarted.epoch)) >= 30, 15, "30 packets after the restart")
        task.cancel()
        return restarted

    restarted = run(scenario(), timeout=40)
    old = seqs_of(items, server.epoch)
    assert old == list(range(old[0], old[0] + len(old)))
    new = seqs_of(items, restarted.epoch)
    assert new == list(range(1, len(new) + 1))  # every packet of the new epoch, once, from 1: replayed from history
    assert [i for i in items if isinstance(i, Gap)] == [Gap(server.epoch, old[-1] + 1, None, "new epoch")]
    assert [type(i) for i in items if not isinstance(i, (Packet, Gap))] == [Connected, Disconnected, Connected]


def test_a_lost_node_fails_over_to_the_next_url(procs):
    a, b = procs.server(), procs.server()

    async def scenario():
        items = []
        async for item in arraycast.stream([a.url, b.url], name="rover", events=True):
            items.append(item)
            if len(seqs_of(items)) == 5:
                await asyncio.to_thread(a.kill)
            if len(seqs_of(items, b.epoch)) == 5:
                return items

    items = run(scenario())
    assert [i.url for i in items if isinstance(i, Connected)] == [a.url, b.url]
    assert [i.to_seq for i in items if isinstance(i, Gap)] == [None]


def test_a_do_not_reconnect_close_code_raises(procs, tmp_path):
    secret = tmp_path / "jwt.secret"
    secret.write_text("a test secret that is long enough for HS256\n")
    server = procs.server("--auth", "--jwt-secret-file", secret)
    token = subprocess.run([str(BIN), "token", "--secret-file", str(secret), "--sub", "short", "--scope", "read",
                            "--ttl", "2s"], capture_output=True, text=True, check=True, timeout=10).stdout.strip()
    items = []

    async def scenario():
        async for item in arraycast.stream(server.url, token=token):
            items.append(item)

    with pytest.raises(arraycast.DoNotReconnect) as e:
        run(scenario())
    assert e.value.code == 4501 and seqs_of(items), (e.value, items)
    with pytest.raises(arraycast.Refused, match="401"):
        run(take(1, server.url, token="forged"))


def test_an_unreachable_server_gives_up_after_max_retries():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        url = f"ws://127.0.0.1:{s.getsockname()[1]}/"  # bound, never listening: refused
        with pytest.raises(arraycast.GaveUp, match="3 attempts"):
            run(take(1, url, max_retries=2, backoff=arraycast.Backoff(0.01, 0.05)))


def test_a_server_that_does_not_take_the_urls_hello_gets_it_as_a_message():
    """An arraycast older than hellos in the URL (or another server written from
    docs/PROTOCOL.md) sends a welcome without `subscribed` and waits for the message."""
    import websockets
    seen = {}

    async def older_server(ws, *_):
        seen["path"] = ws.path
        await ws.send(json.dumps({"type": "welcome", "epoch": 9, "head": 0, "history": 0}))
        seen["hello"] = json.loads(await ws.recv())
        await ws.send(json.dumps({"type": "packet", "seq": 1, "ts": 5, "arrays": [[1, 2]]}))
        await ws.wait_closed()

    async def scenario():
        async with websockets.serve(older_server, "127.0.0.1", 0) as server:
            port = server.sockets[0].getsockname()[1]
            async for item in arraycast.stream(f"ws://127.0.0.1:{port}/", name="old", resume_from=(9, 0)):
                return item

    packet = run(scenario())
    assert packet == Packet(9, 1, 5, [[1, 2]])
    assert seen["hello"] == {"type": "hello", "name": "old", "encoding": "json", "epoch": 9, "last_seq": 0}
    assert seen["path"] == "/?name=old&encoding=json&epoch=9&last_seq=0"
