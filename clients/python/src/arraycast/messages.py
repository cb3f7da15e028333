"""What `arraycast.stream` yields. Plain frozen dataclasses, so they compare and print well."""

from dataclasses import dataclass
from typing import Any, List, Optional


@dataclass(frozen=True)
class Packet:
    """One packet. `arrays` is a list of lists of int/float, or of numpy arrays with numpy=True."""
    epoch: int
    seq: int
    ts: int  # µs since the Unix epoch: the producer's time, else the server's
    arrays: List[Any]


@dataclass(frozen=True)
class Gap:
    """Packets from_seq..to_seq of `epoch` will never arrive; to_seq None: the rest of that epoch."""
    epoch: int
    from_seq: int
    to_seq: Optional[int]
    reason: str


@dataclass(frozen=True)
class Connected:
    """A connection is up and the welcome read (only with events=True)."""
    url: str
    epoch: int
    head: int


@dataclass(frozen=True)
class Disconnected:
    """A connection that was up is gone; `code` is the close code if the server sent one."""
    url: str
    reason: str
    code: Optional[int]
