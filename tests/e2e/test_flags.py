"""Flags that would make the server absurd are refused before it starts,
with a message naming the flag."""

import subprocess

from conftest import BIN


def serve(*args):
    return subprocess.run([BIN, "serve", "--port", "0", *args], capture_output=True, text=True, timeout=10)


def test_a_packet_too_large_to_stream_is_refused():
    res = serve("--arrays", "2000", "--length", "1000")
    assert res.returncode != 0
    assert "--arrays" in res.stderr and "--length" in res.stderr, res.stderr
    assert "1000000" in res.stderr, "the message says what the limit is"


def test_a_recorder_name_with_a_line_break_is_refused(tmp_path):
    res = subprocess.run([BIN, "record", "--url", "ws://127.0.0.1:1/", "--name", "lab\nforged", "--out",
                          tmp_path / "r.jsonl"], capture_output=True, text=True, timeout=10)
    assert res.returncode != 0
    assert "--name" in res.stderr and "control characters" in res.stderr, res.stderr
    assert not (tmp_path / "r.jsonl").exists()


def test_a_source_is_named_by_its_kind_and_only_some_kinds_take_an_argument():
    res = serve("--source", "bogus")
    assert res.returncode == 2
    assert "'bogus' is not a source; the sources are: random, stdin, exec, udp, serial, replay, publish" in res.stderr
    for spec in ("random:fast", "stdin:x", "publish:me"):
        res = serve("--source", spec)
        kind = spec.split(":")[0]
        assert res.returncode == 2, spec
        assert f"'{kind}' takes no argument: give {kind} alone" in res.stderr, res.stderr
