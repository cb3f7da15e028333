"""A client for arraycast streams: `async for item in arraycast.stream(url): ...`

It speaks docs/PROTOCOL.md so callers do not have to: hello with resume, acks,
gaps, reconnects with backoff, both encodings."""

from .backoff import Backoff
from .client import stream
from .errors import ArraycastError, DoNotReconnect, GaveUp, ProtocolError, Refused, UnsupportedLayout
from .messages import Connected, Disconnected, Gap, Packet

__all__ = ["stream", "Packet", "Gap", "Connected", "Disconnected", "Backoff", "ArraycastError",
           "DoNotReconnect", "GaveUp", "ProtocolError", "Refused", "UnsupportedLayout"]
