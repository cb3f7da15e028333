"""arraycast.stream: the reconnect loop around one Connection after another."""

import asyncio
import logging
import ssl
import time
from typing import AsyncIterator, Iterable, Optional, Tuple, Union

from .backoff import Backoff, Failover
from .connection import Connection, Options
from .errors import GaveUp
from .messages import Disconnected
from .protocol import ENCODINGS
from .tracker import Tracker

log = logging.getLogger("arraycast")


async def stream(url: Union[str, Iterable[str]], *, name: str = "python",
                 resume_from: Optional[Tuple[int, int]] = None, encoding: str = "json",
                 token: Optional[str] = None, numpy: bool = False, events: bool = False,
                 max_retries: Optional[int] = None, connect_timeout: float = 10.0,
                 ping_interval: float = 10.0, ping_timeout: float = 10.0,
                 max_message: int = 64 << 20, ssl_context: Optional[ssl.SSLContext] = None,
                 backoff: Optional[Backoff] = None) -> AsyncIterator:
    """Yields Packet and Gap (and Connected/Disconnected with events=True) for ever, across
    lost connections and server restarts; each packet is acked once the consumer asks for
    the next item. `url`: one URL or several (nodes of one cluster, tried round robin).
    `resume_from`: (epoch, last_seq) of the last packet the caller kept, e.g. from its own file.
    Raises DoNotReconnect (close 4500-4999), Refused (401/403), UnsupportedLayout (a binary
    layout other than 2), ProtocolError (a first message that is no welcome: not an arraycast
    stream), or GaveUp after `max_retries` failed attempts in a row (None: never gives up)."""
    urls = [url] if isinstance(url, str) else list(url)
    _check(urls, name, encoding, numpy)
    options = Options(name, encoding, token, numpy, events, connect_timeout, ping_interval, ping_timeout,
                      max_message, ssl_context)
    tracker = Tracker(resume_from)
    rotation = Failover(len(urls), backoff or Backoff())
    failures = 0
    while True:
        connection = Connection(urls[rotation.current], tracker, options)
        started = time.monotonic()
        async for item in connection.run():
            yield item
        if connection.connected and events:
            yield Disconnected(connection.url, connection.reason, connection.code)
        log.warning("%s %s: %s", "lost connection to" if connection.connected else "cannot connect to",
                    connection.url, connection.reason)
        # A connection that held for a while proves the server is back: start the backoff over.
        if connection.connected and time.monotonic() - started > rotation.delays.cap:
            rotation.reset()
            failures = 0
        if max_retries is not None and failures >= max_retries:
            raise GaveUp(failures + 1, connection.reason)
        failures += 1
        await asyncio.sleep(rotation.next(connection.connected))


def _check(urls: list, name: str, encoding: str, numpy: bool) -> None:
    """Fails on the first iteration, before any connection, rather than with a server's error message."""
    if not urls:
        raise ValueError("stream: at least one URL is needed")
    if encoding not in ENCODINGS:
        raise ValueError(f"stream: encoding must be one of {ENCODINGS}, got {encoding!r}")
    if not 1 <= len(name.encode()) <= 64 or any(ord(c) < 0x20 or ord(c) == 0x7F for c in name):
        raise ValueError("stream: name must be 1-64 bytes of UTF-8 without control characters")
    if numpy:
        import numpy as np  # noqa: F401 (fails here, clearly, when numpy is not installed)
