#!/usr/bin/python3
"""A producer for the ingest benchmark: packets of random integers as JSON
lines with the producer's own "ts" (µs since the epoch, stamped as each line
is written), so that the latency `arraycast bench` reports includes the way
in. Writes to stdout (for `serve --source stdin` or `publish --from stdin`)
or sends one datagram per packet (for `serve --source udp:...`).

  producer.py --rate 1000 --seconds 10 | arraycast serve --source stdin
  producer.py --rate 0 --seconds 10 --udp 127.0.0.1:9000   # as fast as it can
"""

import argparse
import random
import socket
import sys
import time


def bodies(arrays, length, n=256):
    """A few pre-encoded array sets: the producer's cost stays the ts and the write."""
    rng = random.Random(1)
    return ["[" + ",".join("[" + ",".join(str(rng.randint(0, 99)) for _ in range(length)) + "]"
                           for _ in range(arrays)) + "]" for _ in range(n)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rate", type=float, default=1000, help="packets per second; 0: as fast as possible")
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--arrays", type=int, default=5)
    ap.add_argument("--length", type=int, default=10)
    ap.add_argument("--udp", help="HOST:PORT to send datagrams to, instead of writing stdout")
    args = ap.parse_args()

    sets = bodies(args.arrays, args.length)
    if args.udp:
        host, port = args.udp.rsplit(":", 1)
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        target = (host, int(port))
        emit = lambda line: sock.sendto(line.encode(), target)  # noqa: E731
    else:
        out = sys.stdout
        emit = out.write

    period = 1.0 / args.rate if args.rate > 0 else 0.0
    start = time.monotonic()
    end = start + args.seconds
    n = 0
    while True:
        now = time.monotonic()
        if now >= end:
            break
        if period:
            due = start + n * period
            if due > now:
                if not args.udp:
                    sys.stdout.flush()
                time.sleep(due - now)
        emit('{"ts":%d,"arrays":%s}\n' % (time.time_ns() // 1000, sets[n % len(sets)]))
        n += 1
    if not args.udp:
        sys.stdout.flush()
    print(f"producer: {n} packets in {time.monotonic() - start:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
