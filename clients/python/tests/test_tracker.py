"""The resume bookkeeping without a server: the recorder's rules (src/recorder/recorder.cpp)."""

from arraycast import Gap, Packet
from arraycast.protocol import WireGap, WirePacket
from arraycast.tracker import Tracker


def feed(t, *seqs):
    return [item for s in seqs for item in t.packet(WirePacket(s, 0, []))]


def test_a_fresh_client_starts_where_it_joins_and_reports_a_jump():
    t = Tracker()
    assert t.resume_point() == (None, None)
    t.welcome(7)
    assert feed(t, 5, 6, 9) == [Packet(7, 5, 0, []), Packet(7, 6, 0, []), Gap(7, 7, 8, "missing"), Packet(7, 9, 0, [])]
    assert t.resume_point() == (7, 9)


def test_replayed_packets_and_announced_gaps_are_handed_out_once():
    t = Tracker((7, 4))
    t.welcome(7)
    assert t.gap(WireGap(3, 5, "history")) == [Gap(7, 5, 5, "history")]
    assert feed(t, 5, 6) == [Packet(7, 6, 0, [])]
    assert t.gap(WireGap(2, 6, "history")) == []


def test_a_new_epoch_is_one_gap_whether_the_server_announces_it_or_not():
    t = Tracker((7, 4))
    t.welcome(8)
    assert t.gap(WireGap(5, None, "new epoch")) == [Gap(7, 5, None, "new epoch")]
    assert feed(t, 1) == [Packet(8, 1, 0, [])]
    t.welcome(9)  # restarted again; this time no gap before the packet
    assert feed(t, 3) == [Gap(8, 2, None, "new epoch"), Gap(9, 1, 2, "missing"), Packet(9, 3, 0, [])]
