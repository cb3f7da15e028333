"""The JSON messages of docs/PROTOCOL.md, and the dispatch of a WebSocket message to a decoder. Pure: no sockets."""

import json
import math
import urllib.parse
from typing import NamedTuple, Optional, Union

from . import binary
from .errors import ProtocolError

ENCODINGS = ("json", "binary")


class Welcome(NamedTuple):
    epoch: int
    head: int
    subscribed: bool = False  # the server took the hello from the URL: send no message


class WirePacket(NamedTuple):
    seq: int
    ts: int
    arrays: list


class WireGap(NamedTuple):
    from_seq: int
    to_seq: Optional[int]
    reason: str


class WireError(NamedTuple):
    code: str
    message: str


Message = Union[Welcome, WirePacket, WireGap, WireError, None]


def hello_fields(name: str, encoding: str, epoch: Optional[int], last_seq: Optional[int]) -> dict:
    fields = {"name": name, "encoding": encoding}
    if epoch is not None:
        fields.update(epoch=epoch, last_seq=last_seq)
    return fields


def hello(fields: dict) -> str:
    return json.dumps({"type": "hello", **fields})


def with_hello(url: str, fields: dict) -> str:
    """`url` with the hello in its query string: the server streams from the upgrade on, no race with its hello wait."""
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True) + [(k, str(v)) for k, v in fields.items()]
    return urllib.parse.urlunsplit(parts._replace(path=parts.path or "/", query=urllib.parse.urlencode(query)))


def ack(seq: int) -> str:
    return json.dumps({"type": "ack", "seq": seq})


def decode(data: Union[str, bytes], numpy: bool = False) -> Message:
    """One server message; None for a type this client does not know (fields and types may be added)."""
    if isinstance(data, bytes):
        return WirePacket(*binary.decode(data, numpy))
    try:
        # JSON has no NaN or Infinity; Python's parser would accept them, the protocol does not.
        o = json.loads(data, parse_constant=_refuse_constant)
    except ValueError as e:
        raise ProtocolError(f"not JSON: {e}") from None
    if not isinstance(o, dict):
        raise ProtocolError("a message that is not a JSON object")
    kind = o.get("type")
    if kind == "packet":
        return WirePacket(_uint(o, "seq", 1), _int(o, "ts"), _arrays(o.get("arrays"), numpy))
    if kind == "welcome":
        return Welcome(_uint(o, "epoch", 0), _uint(o, "head", 0), o.get("subscribed") is True)
    if kind == "gap":
        to = None if o.get("to") is None else _uint(o, "to", 1)
        return WireGap(_uint(o, "from", 1), to, str(o.get("reason", "")))
    if kind == "error":
        return WireError(str(o.get("code", "")), str(o.get("message", "")))
    return None


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _int(o: dict, key: str) -> int:
    v = o.get(key)
    if type(v) is not int:  # noqa: E721 (bool is an int subclass and is no number here)
        raise ProtocolError(f"{o.get('type')}: \"{key}\" must be an integer, got {v!r}")
    return v


def _uint(o: dict, key: str, least: int) -> int:
    v = _int(o, key)
    if v < least:
        raise ProtocolError(f"{o.get('type')}: \"{key}\" must be at least {least}, got {v}")
    return v


def _arrays(arrays, numpy: bool) -> list:
    if not isinstance(arrays, list) or not all(isinstance(a, list) for a in arrays):
        raise ProtocolError("packet: \"arrays\" must be an array of arrays")
    for a in arrays:
        for v in a:
            if type(v) not in (int, float) or (type(v) is float and not math.isfinite(v)):
                raise ProtocolError(f"packet: {v!r} is not a finite number")
    if not numpy:
        return arrays
    import numpy as np
    # Each array keeps its kind: int64 when every value is an integer (an empty one too), else float64.
    return [np.array(a, dtype=np.int64 if all(type(v) is int for v in a) else np.float64) for a in arrays]
