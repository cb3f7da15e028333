"""`arraycast record` against a server that is not ours: a small server written
from docs/PROTOCOL.md with Python's websockets. The recorder must record what
it was sent, ack it, and resume with epoch + last_seq after a dropped
connection, without losing or duplicating a packet."""

import asyncio
import json
import signal
import threading
import time

import websockets

from conftest import SLOW, assert_contiguous, wait_until

ARRAYS, LENGTH = 3, 4
EPOCH = 4242


def arrays_for(seq):
    return [[(seq * 7 + i * 13 + j) % 100 for j in range(LENGTH)] for i in range(ARRAYS)]


class ProtocolServer:
    """welcome, then after hello one packet every 20 ms from the client's
    resume point (or seq 1); the first connection is dropped after
    `drop_after` packets. Runs its own event loop in a thread."""

    def __init__(self, drop_after, total):
        self.drop_after, self.total = drop_after, total
        self.hellos, self.acks, self.sent = [], [], {}
        self.connections = 0
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(ready,), daemon=True)
        self.thread.start()
        assert ready.wait(10), "test server did not start"

    def _run(self, ready):
        asyncio.set_event_loop(self.loop)
        self.server = self.loop.run_until_complete(websockets.serve(self._handler, "127.0.0.1", 0))
        self.port = self.server.sockets[0].getsockname()[1]
        ready.set()
        self.loop.run_forever()

    def stop(self):
        async def close():
            self.server.close()
            await self.server.wait_closed()
        asyncio.run_coroutine_threadsafe(close(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    async def _handler(self, ws, *_):
        self.connections += 1
        first = self.connections == 1
        await ws.send(json.dumps({"type": "welcome", "epoch": EPOCH, "head": max(self.sent, default=0),
                                  "history": 1000, "arrays": ARRAYS, "length": LENGTH, "min": 0, "max": 99,
                                  "interval_us": 20000}))
        hello = json.loads(await ws.recv())
        assert hello["type"] == "hello"
        self.hellos.append(hello)
        reader = asyncio.ensure_future(self._read_acks(ws))
        seq = hello["last_seq"] + 1 if hello.get("epoch") == EPOCH else 1
        try:
            while seq <= self.total:
                if first and seq > self.drop_after:
                    await ws.close(1001, "test server going away")
                    return
                packet = {"type": "packet", "seq": seq, "ts": time.time_ns() // 1000, "arrays": arrays_for(seq)}
                self.sent[seq] = packet
                await ws.send(json.dumps(packet))
                seq += 1
                await asyncio.sleep(0.02)
            await ws.wait_closed()
        finally:
            reader.cancel()

    async def _read_acks(self, ws):
        async for message in ws:
            msg = json.loads(message)
            assert msg["type"] == "ack", msg
            self.acks.append(msg["seq"])


def test_recorder_records_a_foreign_server_and_resumes(procs):
    server = ProtocolServer(drop_after=15, total=40)
    try:
        rec = procs.recorder(f"ws://127.0.0.1:{server.port}/", "visitor")
        rec.wait_packets(40, timeout=20)
        wait_until(lambda: len(set(server.acks)) >= 40, 5, "acks for all 40 packets")
        assert rec.stop(signal.SIGINT) == 0, rec.stderr()
    finally:
        server.stop()

    # Every packet exactly once, as sent, with our ts and its own receive time.
    packets = rec.packets()
    assert_contiguous([p["seq"] for p in packets])
    assert [p["seq"] for p in packets] == list(range(1, 41))
    for p in packets:
        sent = server.sent[p["seq"]]
        assert p["arrays"] == sent["arrays"] and p["ts"] == sent["ts"]
        assert p["recv_ts"] >= p["ts"] - 1_000_000 * SLOW

    # The drop is in the file, and the second hello resumed where the file ends.
    assert len(rec.events("disconnected")) >= 1 and len(rec.events("connected")) >= 2
    assert server.hellos[0] == {"type": "hello", "name": "visitor"}
    assert server.hellos[1]["name"] == "visitor"
    assert server.hellos[1]["epoch"] == EPOCH and server.hellos[1]["last_seq"] == 15
    assert sorted(set(server.acks)) == list(range(1, 41))
