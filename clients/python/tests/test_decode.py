"""The decoders without a server: the examples of docs/PROTOCOL.md byte for byte, and what they must refuse."""

import math
import struct

import pytest

from arraycast import ProtocolError, UnsupportedLayout
from arraycast import binary, protocol

EXAMPLE_INT = bytes.fromhex("02010000" "02000000" "2a00000000000000" "4022644159440600" "03000000" "3a2726010203")
EXAMPLE_DOUBLE = bytes.fromhex("02080101" "02000000" "2b00000000000000" "e0a8654159440600" "0100000002000000"
                               "0000000000000440" "000000000000e0bf" "9c7500883ce4377e")

try:
    import numpy as np
except ImportError:
    np = None
needs_numpy = pytest.mark.skipif(np is None, reason="numpy is not installed (Debian: python3-numpy)")


def test_the_protocol_examples_decode():
    assert binary.decode(EXAMPLE_INT) == (42, 1764000000123456, [[58, 39, 38], [1, 2, 3]])
    assert binary.decode(EXAMPLE_DOUBLE) == (43, 1764000000223456, [[2.5], [-0.5, 1e300]])


def test_every_width_and_no_arrays():
    for width, fmt in binary.INT_FORMATS.items():
        data = struct.pack("<BBBBIQq", 2, width, 0, 1, 2, 7, 9) + struct.pack(f"<II2{fmt}", 0, 2, -1, 5)
        assert binary.decode(data) == (7, 9, [[], [-1, 5]])
    assert binary.decode(struct.pack("<BBBBIQq", 2, 1, 0, 1, 0, 1, 0)) == (1, 0, [])


def test_an_unknown_layout_version_is_refused_by_name():
    with pytest.raises(UnsupportedLayout, match="layout version 2 expected .* got 1"):
        binary.decode(b"\x01" + EXAMPLE_INT[1:])


@pytest.mark.parametrize("data, why", [
    (EXAMPLE_INT[:-1], "header says"),
    (EXAMPLE_INT + b"\0", "header says"),
    (EXAMPLE_INT[:20], "shorter than its 24-byte header"),
    (EXAMPLE_INT[:1] + b"\x03" + EXAMPLE_INT[2:], "width 3"),
    (EXAMPLE_INT[:2] + b"\x02" + EXAMPLE_INT[3:], "unknown kind"),
    (EXAMPLE_INT[:3] + b"\x02" + EXAMPLE_INT[4:], "unknown shape"),
    (EXAMPLE_DOUBLE[:1] + b"\x04" + EXAMPLE_DOUBLE[2:], "width 4, 8 expected"),
    (EXAMPLE_INT[:8] + bytes(8) + EXAMPLE_INT[16:], "seq 0"),
    (struct.pack("<BBBBIQq", 2, 1, 0, 0, 1000, 1, 0) + struct.pack("<I", 0), "empty arrays"),
    (struct.pack("<BBBBIQq", 2, 1, 0, 1, 0xFFFFFFFF, 1, 0), "arrays, at most"),
    (struct.pack("<BBBBIQq", 2, 1, 0, 0, 1000, 1, 0) + struct.pack("<I", 1001), "values, at most"),
    (EXAMPLE_DOUBLE[:32] + struct.pack("<d", math.nan) + EXAMPLE_DOUBLE[40:], "NaN or infinite"),
])
def test_what_the_layout_forbids_is_refused(data, why):
    with pytest.raises(ProtocolError, match=why):
        binary.decode(data)


def test_json_packets_keep_each_values_kind():
    m = protocol.decode('{"type":"packet","seq":3,"ts":5,"arrays":[[2E0,-5E-1],[9007199254740993],[]]}')
    assert m == protocol.WirePacket(3, 5, [[2.0, -0.5], [9007199254740993], []])
    assert [type(v) for v in m.arrays[0] + m.arrays[1]] == [float, float, int]


@pytest.mark.parametrize("text", ['{"type":"packet","seq":1,"ts":0,"arrays":[[NaN]]}',
                                  '{"type":"packet","seq":1,"ts":0,"arrays":[[1e400]]}',
                                  '{"type":"packet","seq":1,"ts":0,"arrays":[["1"]]}',
                                  '{"type":"packet","seq":1,"ts":0,"arrays":[[true]]}',
                                  '{"type":"packet","seq":0,"ts":0,"arrays":[]}',
                                  '{"type":"packet","seq":1,"ts":0,"arrays":[1]}',
                                  '[1]', 'not json'])
def test_json_that_is_not_a_packet_is_refused(text):
    with pytest.raises(ProtocolError):
        protocol.decode(text)


def test_an_unknown_message_type_is_ignored():
    assert protocol.decode('{"type":"news","x":1}') is None


@needs_numpy
def test_numpy_arrays_in_both_encodings():
    seq, ts, arrays = binary.decode(EXAMPLE_INT, numpy=True)
    assert [a.dtype for a in arrays] == [np.int64, np.int64] and arrays[0].tolist() == [58, 39, 38]
    seq, ts, arrays = binary.decode(EXAMPLE_DOUBLE, numpy=True)
    assert [a.tolist() for a in arrays] == [[2.5], [-0.5, 1e300]] and arrays[1].dtype == np.float64
    m = protocol.decode('{"type":"packet","seq":3,"ts":5,"arrays":[[1,2],[1,2.5],[]]}', numpy=True)
    assert [a.dtype for a in m.arrays] == [np.int64, np.float64, np.int64]


def test_the_hello_rides_in_the_url_after_other_parameters():
    fields = protocol.hello_fields("lab one", "binary", 7, 42)
    assert protocol.with_hello("ws://h:1/?token=t", fields) == \
        "ws://h:1/?token=t&name=lab+one&encoding=binary&epoch=7&last_seq=42"
    assert protocol.with_hello("ws://h:1", protocol.hello_fields("r", "json", None, None)) == \
        "ws://h:1/?name=r&encoding=json"
