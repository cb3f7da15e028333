"""When to try again, and where. The same schedule as `arraycast record` (src/core/backoff.cpp,
src/core/failover.cpp): attempt n waits a uniform draw from [d/2, d], d = min(initial * 2^n, cap),
so many clients cut off at once do not come back in step. Every ended attempt moves to the next
URL; the first move after a connection that held goes at once when there are several URLs (the
next node is likely up), never with one (the same server is likely still down)."""

import random
from typing import Callable


class Backoff:
    def __init__(self, initial: float = 0.1, cap: float = 5.0, jitter: Callable[[], float] = random.random):
        self.initial, self.cap, self._jitter = initial, cap, jitter
        self.attempt = 0

    def next(self) -> float:
        ceiling = min(self.initial * 2 ** min(self.attempt, 32), self.cap)
        self.attempt += 1
        return ceiling / 2 + ceiling / 2 * self._jitter()

    def reset(self) -> None:
        self.attempt = 0


class Failover:
    def __init__(self, endpoints: int, delays: Backoff):
        self.count, self.current, self.delays = endpoints, 0, delays
        self._may_rush = True  # the next lost connection may move on without waiting

    def next(self, was_connected: bool) -> float:
        """The attempt on `current` ended: moves on, returns the wait in seconds before the next."""
        self.current = (self.current + 1) % self.count
        if was_connected and self.count > 1 and self._may_rush:
            self._may_rush = False
            return 0.0
        return self.delays.next()

    def reset(self) -> None:
        """A connection held: the backoff starts over."""
        self.delays.reset()
        self._may_rush = True
