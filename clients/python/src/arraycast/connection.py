"""One connection: upgrade with the hello in the URL, welcome, then read, yield and ack until it ends.

How it ended (connected or not, why, the close code) is left on the object for the
reconnect loop; an end that must not be retried is raised instead."""

import asyncio
import inspect
import logging
import ssl
from dataclasses import dataclass
from typing import Optional

import websockets
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from . import protocol
from .errors import DoNotReconnect, ProtocolError, Refused, UnsupportedLayout
from .messages import Connected
from .tracker import Tracker

log = logging.getLogger("arraycast")

NO_RECONNECT = range(4500, 5000)  # docs/PROTOCOL.md, "Close codes"
# websockets 14 renamed the argument; Debian 12 ships 10.4.
_HEADERS_ARG = "additional_headers" if "additional_headers" in inspect.signature(websockets.connect).parameters \
    else "extra_headers"


@dataclass(frozen=True)
class Options:
    name: str
    encoding: str
    token: Optional[str]
    numpy: bool
    events: bool
    connect_timeout: float
    ping_interval: float
    ping_timeout: float
    max_message: int
    ssl_context: Optional[ssl.SSLContext]

    def connect_kwargs(self) -> dict:
        kwargs = dict(open_timeout=self.connect_timeout, ping_interval=self.ping_interval,
                      ping_timeout=self.ping_timeout, max_size=self.max_message)
        if self.token:
            kwargs[_HEADERS_ARG] = {"Authorization": f"Bearer {self.token}"}
        if self.ssl_context is not None:
            kwargs["ssl"] = self.ssl_context
        return kwargs


class Connection:
    def __init__(self, url: str, tracker: Tracker, options: Options):
        self.url, self.tracker, self.options = url, tracker, options
        self.connected = False
        self.reason = "connection ended"
        self.code: Optional[int] = None

    async def run(self):
        """Yields what the consumer gets; returns when the connection is gone and may be retried."""
        try:
            url = protocol.with_hello(self.url, self._hello())
            async with websockets.connect(url, **self.options.connect_kwargs()) as ws:
                self.connected = True
                async for item in self._session(ws):
                    yield item
            self._closed(ws.close_code, ws.close_reason)  # a normal close ends `async for` quietly
        except ConnectionClosed as e:
            self._closed(e.rcvd.code if e.rcvd else None, e.rcvd.reason if e.rcvd else "")
        except InvalidHandshake as e:
            status = _status(e)
            if status in (401, 403):
                raise Refused(self.url, status) from None
            self.reason = str(e)
        except (OSError, asyncio.TimeoutError) as e:
            self.reason = str(e) or type(e).__name__

    async def _session(self, ws):
        welcome = await asyncio.wait_for(ws.recv(), self.options.connect_timeout)
        welcome = protocol.decode(welcome)
        if not isinstance(welcome, protocol.Welcome):
            raise ProtocolError(f"{self.url}: the first message is not a welcome")
        self.tracker.welcome(welcome.epoch)
        if not welcome.subscribed:  # a server that predates hellos in the URL
            await ws.send(protocol.hello(self._hello()))
        if self.options.events:
            yield Connected(self.url, welcome.epoch, welcome.head)
        async for data in ws:
            items, seq = self._handle(data)
            for item in items:
                yield item
            if seq is not None:  # the consumer took everything above: ack, as the recorder acks once written
                await ws.send(protocol.ack(seq))

    def _hello(self) -> dict:
        return protocol.hello_fields(self.options.name, self.options.encoding, *self.tracker.resume_point())

    def _handle(self, data):
        """(items to yield, seq to ack or None) for one message."""
        try:
            m = protocol.decode(data, self.options.numpy)
        except UnsupportedLayout:
            raise
        except ProtocolError as e:
            log.warning("ignoring a message from %s: %s", self.url, e)
            return [], None
        if isinstance(m, protocol.WirePacket):
            return self.tracker.packet(m), m.seq
        if isinstance(m, protocol.WireGap):
            return self.tracker.gap(m), None
        if isinstance(m, protocol.WireError):
            log.warning("%s rejected a message (%s): %s", self.url, m.code, m.message)
        return [], None

    def _closed(self, code: Optional[int], reason: str) -> None:
        self.code = code
        self.reason = f"closed ({code}{': ' + reason if reason else ''})" if code else "connection lost"
        if code in NO_RECONNECT:
            raise DoNotReconnect(self.url, code, reason)


def _status(e: InvalidHandshake) -> Optional[int]:
    """The HTTP status of a refused upgrade, in websockets 10 (status_code) or 14 (response)."""
    response = getattr(e, "response", None)
    return getattr(e, "status_code", None) or getattr(response, "status_code", None)
