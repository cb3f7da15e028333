"""The binary packet layout, version 2 (docs/PROTOCOL.md, "Binary packets"). Pure: bytes in, values out.

Every length is checked against the message's size before anything is allocated,
as the server's own decoder does, so a few hostile bytes cannot ask for gigabytes."""

import math
import struct
from typing import List, Tuple

from .errors import ProtocolError, UnsupportedLayout

VERSION = 2
MAX_ARRAYS = 1_000_000
MAX_VALUES = 1_000_000
HEADER = struct.Struct("<BBBBIQq")  # version, width, kind, shape, count, seq, ts: 24 bytes
INT_FORMATS = {1: "b", 2: "h", 4: "i", 8: "q"}
KIND_INT, KIND_DOUBLE = 0, 1
SHAPE_UNIFORM, SHAPE_RAGGED = 0, 1


def decode(data: bytes, numpy: bool = False) -> Tuple[int, int, List]:
    """(seq, ts, arrays) of one binary message; raises ProtocolError for anything the layout forbids."""
    if len(data) < 1:
        raise ProtocolError("empty binary message")
    if data[0] != VERSION:
        raise UnsupportedLayout(f"binary packet of layout version {VERSION} expected "
                                f"(this client is too old or too new), got {data[0]}")
    if len(data) < HEADER.size:
        raise ProtocolError(f"binary packet shorter than its {HEADER.size}-byte header")
    _, width, kind, shape, count, seq, ts = HEADER.unpack_from(data)
    fmt = _value_format(width, kind)
    _check_header(shape, count, seq)
    lengths, values_at = _lengths(data, shape, count)
    total = sum(lengths)
    if total > MAX_VALUES:
        raise ProtocolError(f"binary packet of {total} values, at most {MAX_VALUES}")
    if len(data) != values_at + width * total:
        raise ProtocolError(f"binary packet of {len(data)} bytes, its header says {values_at + width * total}")
    if numpy:
        return seq, ts, _numpy_arrays(data, values_at, fmt, kind, lengths)
    values = struct.unpack_from(f"<{total}{fmt}", data, values_at)
    if kind == KIND_DOUBLE and not all(map(math.isfinite, values)):
        raise ProtocolError("binary packet holds a double that is NaN or infinite")
    return seq, ts, _split(values, lengths)


def _value_format(width: int, kind: int) -> str:
    if kind == KIND_DOUBLE:
        if width != 8:
            raise ProtocolError(f"binary packet of doubles with width {width}, 8 expected")
        return "d"
    if kind != KIND_INT:
        raise ProtocolError(f"binary packet of unknown kind {kind}")
    if width not in INT_FORMATS:
        raise ProtocolError(f"binary packet with width {width}, 1, 2, 4 or 8 expected")
    return INT_FORMATS[width]


def _check_header(shape: int, count: int, seq: int) -> None:
    if shape not in (SHAPE_UNIFORM, SHAPE_RAGGED):
        raise ProtocolError(f"binary packet of unknown shape {shape}")
    if count > MAX_ARRAYS:
        raise ProtocolError(f"binary packet of {count} arrays, at most {MAX_ARRAYS}")
    if seq == 0:
        raise ProtocolError("binary packet with seq 0")


def _lengths(data: bytes, shape: int, count: int) -> Tuple[List[int], int]:
    """The arrays' lengths and where the values start."""
    if count == 0:
        return [], HEADER.size  # no lengths at all, whatever the shape
    stored = count if shape == SHAPE_RAGGED else 1
    values_at = HEADER.size + 4 * stored
    if len(data) < values_at:
        raise ProtocolError("binary packet shorter than its lengths")
    lengths = list(struct.unpack_from(f"<{stored}I", data, HEADER.size))
    if shape == SHAPE_RAGGED:
        return lengths, values_at
    if lengths[0] == 0:
        raise ProtocolError("uniform binary packet of empty arrays (they are sent ragged)")
    if lengths[0] * count > MAX_VALUES:
        raise ProtocolError(f"binary packet of {lengths[0] * count} values, at most {MAX_VALUES}")
    return lengths * count, values_at


def _split(values, lengths: List[int]) -> List[list]:
    arrays, at = [], 0
    for n in lengths:
        arrays.append(list(values[at:at + n]))
        at += n
    return arrays


def _numpy_arrays(data: bytes, values_at: int, fmt: str, kind: int, lengths: List[int]) -> list:
    import numpy as np
    flat = np.frombuffer(data, dtype=np.dtype("<" + fmt), count=sum(lengths), offset=values_at)
    flat = flat.astype(np.float64 if kind == KIND_DOUBLE else np.int64)  # one dtype per kind, whatever the width
    if kind == KIND_DOUBLE and not np.isfinite(flat).all():
        raise ProtocolError("binary packet holds a double that is NaN or infinite")
    return np.split(flat, np.cumsum(lengths[:-1])) if lengths else []
