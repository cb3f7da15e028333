// Where the client is in the stream, and what to hand on. Pure, and by the
// rules of `arraycast record` (src/recorder/recorder.cpp), so both tell the
// same story:
// - a replayed packet at or below the last one handed on is dropped (but acked);
// - a jump in seq that no gap explained is handed on as a gap "missing";
// - a welcome of another epoch (the server restarted, its history is gone)
//   ends the old epoch with one gap to null, announced by the server or not,
//   and the stream goes on in the new epoch from its first packet.
export class Tracker {
  // resumeFrom: {epoch, lastSeq} of the last packet the caller kept, or nothing: start live.
  constructor(resumeFrom) {
    this.epoch = resumeFrom ? resumeFrom.epoch : null;
    this.lastSeq = resumeFrom ? resumeFrom.lastSeq : 0;
    this.serverEpoch = null;  // of the current connection's welcome
  }

  // The hello's resume fields: none before anything arrived.
  resumePoint() {
    return this.epoch === null ? {} : { epoch: this.epoch, last_seq: this.lastSeq };
  }

  welcome(epoch) {
    this.serverEpoch = epoch;
  }

  // What to hand on for a packet {seq, ts, arrays}: maybe a gap, maybe the packet.
  packet(p) {
    const out = [];
    if (this.epoch === null) [this.epoch, this.lastSeq] = [this.serverEpoch, p.seq - 1];  // a fresh client starts where it joins
    else if (this.epoch !== this.serverEpoch) out.push(this.enterServerEpoch());
    if (p.seq <= this.lastSeq) return out;
    if (p.seq > this.lastSeq + 1) out.push(this.gapItem(this.lastSeq + 1, p.seq - 1, "missing"));
    out.push({ type: "packet", epoch: this.epoch, seq: p.seq, ts: p.ts, arrays: p.arrays });
    this.lastSeq = p.seq;
    return out;
  }

  // What to hand on for a gap {from, to, reason}.
  gap(g) {
    const out = [];
    if (this.epoch !== null && this.epoch !== this.serverEpoch) out.push(this.enterServerEpoch());
    if (g.to === null) return out;  // the server's "new epoch": handed on above, once
    this.epoch ??= this.serverEpoch;
    if (g.to <= this.lastSeq) return out;  // already handed on or already announced
    out.push(this.gapItem(Math.max(g.from, this.lastSeq + 1), g.to, g.reason));
    this.lastSeq = g.to;
    return out;
  }

  enterServerEpoch() {
    const lost = this.gapItem(this.lastSeq + 1, null, "new epoch");
    [this.epoch, this.lastSeq] = [this.serverEpoch, 0];
    return lost;
  }

  gapItem(from, to, reason) {
    return { type: "gap", epoch: this.epoch, from, to, reason };
  }
}
