#!/usr/bin/python3
"""The arraycast stream from Python's `websockets` (Debian's python3-websockets),
written the way most tutorials write a broadcast: one asyncio loop, and each
packet sent to each client in turn. Same wire format and hello semantics as
`arraycast serve`: welcome first, packets only after the client's hello.
For bench/run.sh only; not part of the product."""
import argparse
import asyncio
import json
import random
import time

import websockets

clients = set()


def now_us():
    return time.time_ns() // 1000


async def session(ws, args, epoch, head):
    await ws.send(json.dumps({"type": "welcome", "epoch": epoch, "head": head[0], "history": 0,
                              "arrays": args.arrays, "length": args.length, "min": 0, "max": 99,
                              "interval_us": int(args.interval * 1e6)}, separators=(",", ":")))
    try:
        async for message in ws:
            try:
                msg = json.loads(message)
            except ValueError:
                continue
            if isinstance(msg, dict) and msg.get("type") == "hello":
                clients.add(ws)
    except websockets.ConnectionClosed:
        pass
    finally:
        clients.discard(ws)


async def broadcast(args, head):
    rng = random.Random(1)
    seq = 0
    next_tick = time.monotonic()
    while True:
        seq += 1
        head[0] = seq
        arrays = [[rng.randint(0, 99) for _ in range(args.length)] for _ in range(args.arrays)]
        text = json.dumps({"type": "packet", "seq": seq, "ts": now_us(), "arrays": arrays}, separators=(",", ":"))
        for ws in list(clients):
            try:
                await ws.send(text)  # waits while that client's buffer is full: the flow control
            except websockets.ConnectionClosed:
                clients.discard(ws)
        if args.interval > 0:
            next_tick += args.interval
            await asyncio.sleep(max(0.0, next_tick - time.monotonic()))
        else:
            await asyncio.sleep(0)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between packets; 0: as fast as possible")
    parser.add_argument("--arrays", type=int, default=5)
    parser.add_argument("--length", type=int, default=10)
    args = parser.parse_args()
    epoch, head = now_us(), [0]
    async with websockets.serve(lambda ws: session(ws, args, epoch, head), "127.0.0.1", args.port,
                                max_queue=16, ping_interval=None, backlog=4096) as server:
        port = server.sockets[0].getsockname()[1]
        print(f"python_server: streaming on ws://127.0.0.1:{port}/", flush=True)
        await broadcast(args, head)


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
