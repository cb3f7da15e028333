"""The stream's messages are framed once and written in gather writes beside
Beast's own control frames on the same socket (server/wire_socket): frames
never interleave, and nothing follows a close frame."""

import asyncio
import json
import time

from conftest import SLOW, RawWebSocket, assert_contiguous, connect, hello, run


def test_pings_both_ways_during_a_fast_stream_leave_every_frame_whole(procs):
    # The server pings every 20 ms and the client pings as fast as it is
    # answered, while packets go out 1,000 per second: Beast's pongs and pings
    # race the session's gather writes all the time. websockets fails the
    # connection on any malformed frame.
    server = procs.server("--ping-interval", "20ms", "--ping-timeout", "2s", interval="1ms")

    async def scenario():
        ws = await connect(server.url, max_queue=None)
        await hello(ws, "pinger")
        seqs, pongs, done = [], 0, asyncio.Event()

        async def read():
            while not done.is_set():
                m = json.loads(await asyncio.wait_for(ws.recv(), 5 * SLOW))
                if m["type"] == "packet":
                    seqs.append(m["seq"])

        async def ping():
            nonlocal pongs
            loop = asyncio.get_running_loop()
            end = loop.time() + 2
            while loop.time() < end:
                await asyncio.wait_for(await ws.ping(), 5 * SLOW)
                pongs += 1
            done.set()

        await asyncio.gather(read(), ping())
        await ws.close()
        return seqs, pongs, ws.close_code

    seqs, pongs, code = run(scenario(), timeout=30 * SLOW)
    assert code == 1000
    assert pongs >= 20, f"only {pongs} pongs in 2 s"
    assert len(seqs) >= 200, f"only {len(seqs)} packets in 2 s at 1,000 per second"
    assert_contiguous(seqs)
    assert server.running()


def test_nothing_follows_the_close_frame_when_the_client_closes_mid_stream(procs):
    # Packets of 150 KB that the client does not read: the session's write is
    # still in flight when the close frame comes, so Beast's close reply waits
    # for it, and what the session queued meanwhile must not follow the close.
    server = procs.server("--arrays", "50", "--length", "1000", interval="5ms")
    ws = RawWebSocket(int(server.url.rsplit(":", 1)[1].strip("/")))
    ws.send_text(json.dumps({"type": "hello", "name": "closer"}))
    time.sleep(0.3 * SLOW)  # let the stream flow; its frames wait, unread, in the socket
    ws.send_frame(0x8, (1000).to_bytes(2, "big") + b"bye")
    frames = ws.read_frames()
    ws.close()

    opcodes = [op for _, op, _ in frames]
    assert opcodes[-1] == 0x8, f"the last frame is not a close frame: {opcodes[-5:]}"
    assert opcodes.count(0x8) == 1
    assert int.from_bytes(frames[-1][2][:2], "big") == 1000
    assert json.loads(frames[0][2])["type"] == "welcome"
    assert all(fin for fin, _, _ in frames)
    seqs = [json.loads(p)["seq"] for _, op, p in frames if op == 0x1 and json.loads(p)["type"] == "packet"]
    assert len(seqs) >= 5, f"only {len(seqs)} packets before the close"
    assert_contiguous(seqs)
    assert server.running()
