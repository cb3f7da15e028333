"""Where the client is in the stream, and what to hand the consumer. Pure, like the recorder
(src/recorder/recorder.cpp), whose rules it follows so both tell the same story:

- a replayed packet at or below the last one handed out is dropped (but acked);
- a jump in seq that no gap explained is reported as a gap "missing";
- a welcome of another epoch (the server restarted, its history is gone) ends the
  old epoch with one gap to None, announced by the server or not, and the stream
  continues in the new epoch from its first packet."""

from typing import List, Optional, Tuple

from .messages import Gap, Packet
from .protocol import WireGap, WirePacket


class Tracker:
    def __init__(self, resume_from: Optional[Tuple[int, int]] = None):
        self.epoch, self.last_seq = resume_from if resume_from else (None, 0)
        self._server_epoch: Optional[int] = None  # of the connection's welcome

    def resume_point(self) -> Tuple[Optional[int], Optional[int]]:
        """(epoch, last_seq) for the hello; (None, None) before anything arrived: start live."""
        return (self.epoch, self.last_seq) if self.epoch is not None else (None, None)

    def welcome(self, epoch: int) -> None:
        self._server_epoch = epoch

    def packet(self, p: WirePacket) -> List:
        """What to yield for a packet: maybe a gap, maybe the packet; nothing for a replayed one."""
        out = []
        if self.epoch is None:
            self.epoch, self.last_seq = self._server_epoch, p.seq - 1  # a fresh client starts where it joins
        elif self.epoch != self._server_epoch:
            out.append(self._enter_server_epoch())
        if p.seq <= self.last_seq:
            return out
        if p.seq > self.last_seq + 1:
            out.append(Gap(self.epoch, self.last_seq + 1, p.seq - 1, "missing"))
        out.append(Packet(self.epoch, p.seq, p.ts, p.arrays))
        self.last_seq = p.seq
        return out

    def gap(self, g: WireGap) -> List[Gap]:
        out = []
        if self.epoch is not None and self.epoch != self._server_epoch:
            out.append(self._enter_server_epoch())  # the server's "new epoch" gap, or our own: one either way
        if g.to_seq is None:
            return out
        if self.epoch is None:
            self.epoch = self._server_epoch
        if g.to_seq <= self.last_seq:
            return out  # already handed out or already announced
        out.append(Gap(self.epoch, max(g.from_seq, self.last_seq + 1), g.to_seq, g.reason))
        self.last_seq = g.to_seq
        return out

    def _enter_server_epoch(self) -> Gap:
        lost = Gap(self.epoch, self.last_seq + 1, None, "new epoch")
        self.epoch, self.last_seq = self._server_epoch, 0
        return lost
