"""Several nodes sharing one stream through a real nats-server -js (issue 12).

Every test starts its own broker on a free loopback port with its store in
the test's tmp dir, and stops it."""

import json
import signal
import socket
import subprocess
import threading
import time
import urllib.request

import pytest

from conftest import BIN, HOST, SLOW, assert_contiguous, free_port, wait_until


def node(procs, broker, *extra, interval="20ms", stream="s"):
    return procs.server("--broker", broker.url, "--broker-stream", stream, *extra, interval=interval)


def healthz(server):
    with urllib.request.urlopen(f"http://{HOST}:{server.port}/healthz", timeout=5 * SLOW) as r:
        return json.loads(r.read())


def metric(server, name):
    with urllib.request.urlopen(f"http://{HOST}:{server.port}/metrics", timeout=5 * SLOW) as r:
        for line in r.read().decode().splitlines():
            if line.startswith(name + " "):
                return float(line.split()[1])
    raise KeyError(name)


def seqs_of(rec):
    return [p["seq"] for p in rec.packets()]


def assert_complete(rec, epoch):
    """Every seq from the first recorded to the last exactly once, one epoch, no gap."""
    packets = rec.packets()
    assert packets, f"{rec.label} recorded nothing"
    assert {p["epoch"] for p in packets} == {epoch}
    assert_contiguous([p["seq"] for p in packets])
    assert not rec.events("gap"), rec.events("gap")


def away_and_back(procs, server, name, missed):
    """A recorder that records a few packets, is killed, misses `missed`
    packets and starts again on the same file: it resumes. Returns it and the
    last seq it had."""
    rec = procs.recorder(server.url, name, f"{name}.jsonl")
    rec.wait_packets(5, timeout=20)
    rec.kill()
    last = seqs_of(rec)[-1]
    wait_until(lambda: metric(server, "arraycast_stream_head_seq") >= last + missed, 20, f"{missed} packets to pass")
    return procs.recorder(server.url, name, f"{name}.jsonl"), last


def nats_publish(broker, subject, payload):
    """Puts one raw message on a subject, speaking the NATS text protocol: a
    stranger that writes into the stream."""
    with socket.create_connection((HOST, broker.port), timeout=5) as s:
        s.recv(4096)  # INFO
        s.sendall(b'CONNECT {"verbose":false}\r\nPUB ' + subject.encode() + b" " + str(len(payload)).encode() +
                  b"\r\n" + payload + b"\r\nPING\r\n")
        got = b""
        while b"PONG" not in got:
            got += s.recv(4096)


def test_three_nodes_give_six_recorders_the_same_packets_with_the_same_epoch_and_seq(procs):
    broker = procs.broker()
    producer = node(procs, broker)
    relays = [node(procs, broker, "--relay") for _ in range(2)]
    nodes = [producer] + relays
    assert len({n.epoch for n in nodes}) == 1, "every node takes the stream's epoch"
    recs = [procs.recorder(n.url, f"r{i}-{j}") for i, n in enumerate(nodes) for j in range(2)]
    for r in recs:
        r.wait_packets(40, timeout=20)
    by_seq = {}
    for r in recs:
        assert_complete(r, producer.epoch)
        for p in r.packets():
            by_seq.setdefault(p["seq"], set()).add(json.dumps(p["arrays"]))
    assert all(len(v) == 1 for v in by_seq.values()), "a seq carries different packets on different nodes"
    assert healthz(relays[0])["broker"] == "connected"
    assert metric(producer, "arraycast_broker_producing") == 1
    assert metric(relays[0], "arraycast_broker_producing") == 0


def test_recorders_of_a_killed_relay_move_to_another_node_with_every_seq_exactly_once(procs):
    broker = procs.broker()
    node(procs, broker)
    a, b = node(procs, broker, "--relay"), node(procs, broker, "--relay")
    recs = [procs.recorder(f"{a.url},{b.url}", f"moved{i}") for i in range(2)]
    for r in recs:
        r.wait_packets(30, timeout=20)
    a.kill()
    for r in recs:
        r.wait_packets(len(r.packets()) + 30, timeout=20)
        r.stop()
        assert_complete(r, a.epoch)
        assert [e["url"] for e in r.events("connected")] == [a.url, b.url]
        checked = subprocess.run([BIN, "verify", str(r.out)], capture_output=True, text=True, timeout=30 * SLOW)
        assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_standby_takes_over_from_a_killed_producer_without_a_duplicate_or_a_hole(procs):
    broker = procs.broker()
    primary = node(procs, broker)
    standby = node(procs, broker, "--standby")  # the default 2 s: a sanitized producer may beat late
    relay = node(procs, broker, "--relay")
    rec = procs.recorder(relay.url, "watch")
    rec.wait_packets(30, timeout=20)
    assert metric(standby, "arraycast_broker_producing") == 0
    primary.kill()
    before = len(rec.packets())
    wait_until(lambda: metric(standby, "arraycast_broker_producing") == 1, 10, "the standby to take over")
    rec.wait_packets(before + 30, timeout=20)
    rec.stop()
    assert_complete(rec, primary.epoch)
    assert standby.epoch == primary.epoch


def test_a_producer_that_restarts_continues_the_sequence_in_the_same_epoch(procs):
    broker = procs.broker()
    first = node(procs, broker)
    rec = procs.recorder(first.url, "cont")
    rec.wait_packets(20, timeout=20)
    first.kill()
    rec.kill()
    second = node(procs, broker)
    assert second.epoch == first.epoch
    rec = procs.recorder(second.url, "cont")
    seen = len(rec.packets())
    rec.wait_packets(seen + 20, timeout=20)
    rec.stop()
    assert_complete(rec, first.epoch)


def test_nodes_keep_their_clients_through_a_broker_restart_and_catch_up_without_a_hole(procs):
    broker = procs.broker()
    producer = node(procs, broker)
    relay = node(procs, broker, "--relay")
    recs = [procs.recorder(producer.url, "p"), procs.recorder(relay.url, "r")]
    for r in recs:
        r.wait_packets(20, timeout=20)
    broker.stop(signal.SIGTERM)
    wait_until(lambda: healthz(relay)["broker"] == "disconnected", 10, "the relay to notice the broker is gone")
    wait_until(lambda: metric(relay, "arraycast_broker_connected") == 0, 5, "/metrics to say so too")
    time.sleep(1)
    restarted = procs.broker(port=broker.port, store=broker.store)
    wait_until(lambda: healthz(relay)["broker"] == "connected", 10, "the relay to reconnect")
    for r in recs:
        r.wait_packets(len(r.packets()) + 40, timeout=20)
        r.stop()
        assert_complete(r, producer.epoch)
        assert len(r.events("connected")) == 1, f"{r.label} lost its connection: {r.events()}"
    assert restarted.running()


def test_a_node_that_cannot_reach_the_broker_exits_with_a_clear_error():
    url = f"nats://{HOST}:{free_port()}"
    done = subprocess.run([BIN, "serve", "--port", "0", "--broker", url], capture_output=True, text=True,
                          timeout=30 * SLOW)
    assert done.returncode != 0
    assert f"cannot reach the broker at {url}" in done.stderr, done.stderr


def test_a_message_in_the_stream_that_is_not_a_packet_becomes_a_counted_gap(procs):
    broker = procs.broker()
    producer = node(procs, broker, interval="100ms")
    rec = procs.recorder(producer.url, "strict")
    rec.wait_packets(3, timeout=20)
    nats_publish(broker, "arraycast.s", b"not a packet")
    wait_until(lambda: metric(producer, "arraycast_broker_rejected_total") >= 1, 10, "the rejection to be counted")
    rec.wait_packets(len(rec.packets()) + 5, timeout=20)
    rec.stop()
    gaps = rec.events("gap")
    assert len(gaps) == 1 and gaps[0]["from"] == gaps[0]["to"], gaps
    seqs = seqs_of(rec) + [gaps[0]["from"]]
    assert_contiguous(sorted(seqs))
    assert producer.running()
    assert "is not a packet" in producer.output()


def test_a_recorder_away_longer_than_the_history_resumes_from_the_broker_with_nothing_missing(procs):
    broker = procs.broker()
    producer = node(procs, broker, "--history", "10")
    relay = node(procs, broker, "--relay", "--history", "10")
    rec, _ = away_and_back(procs, relay, "away", 60)
    rec.wait_packets(len(rec.packets()) + 20, timeout=20)
    rec.stop()
    assert_complete(rec, producer.epoch)
    # /metrics is rendered at most once a second
    wait_until(lambda: metric(relay, "arraycast_broker_replayed_total") >= 40, 5, "the replay to be counted")


def test_what_the_stream_no_longer_holds_is_announced_as_a_gap(procs):
    broker = procs.broker()
    producer = node(procs, broker, "--history", "5", "--retain", "20")
    rec, last = away_and_back(procs, producer, "late", 60)
    rec.wait_packets(len(rec.packets()) + 30, timeout=20)
    rec.stop()
    gaps = rec.events("gap")
    assert len(gaps) == 1 and gaps[0]["from"] == last + 1, gaps
    seqs = seqs_of(rec)
    after = [s for s in seqs if s > last]
    assert after[0] == gaps[0]["to"] + 1
    assert_contiguous(after)


def test_a_node_with_broker_wait_starts_once_the_broker_is_up(procs):
    port = free_port()
    threading.Timer(1.0, lambda: procs.broker(port=port)).start()
    server = procs.server("--broker", f"nats://{HOST}:{port}", "--broker-wait", interval="50ms")
    rec = procs.recorder(server.url, "patient")
    rec.wait_packets(5, timeout=20)
    assert "retrying (--broker-wait)" in server.output()


@pytest.mark.parametrize("args, message", [
    (["--relay"], "--relay needs --broker"),
    (["--broker", "http://127.0.0.1:4222"], "is not a NATS URL"),
    (["--broker", "nats://127.0.0.1:4222", "--broker-stream", "a.b"], "must be 1 to 64 letters"),
    (["--broker", "nats://127.0.0.1:4222", "--relay", "--standby"], "cannot stand by"),
    (["--broker", "nats://127.0.0.1:4222", "--relay", "--source", "stdin"], "--relay runs no source"),
    (["--broker", "nats://127.0.0.1:4222", "--exit-on-eof"], "--exit-on-eof is for a single node"),
    (["--broker", "nats://127.0.0.1:4222", "--takeover-after", "100ms"], "--takeover-after"),
])
def test_broker_flags_are_checked(args, message):
    done = subprocess.run([BIN, "serve", "--port", "0", *args], capture_output=True, text=True, timeout=10 * SLOW)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr, done.stderr


def test_a_remote_producer_publishes_through_one_node_and_every_node_streams_it(procs):
    broker = procs.broker()
    entry = node(procs, broker, "--source", "publish", "--allow-publish")
    relay = node(procs, broker, "--relay")
    rec = procs.recorder(relay.url, "far")
    relay.wait_output(r"far \(127\.0\.0\.1:\d+\) said hello")
    lines = "".join(f"[[{i}, {i}.5]]\n" for i in range(50))
    done = subprocess.run([BIN, "publish", "--url", f"{entry.url}publish", "--from", "stdin"], input=lines,
                          capture_output=True, text=True, timeout=30 * SLOW)
    assert done.returncode == 0, done.stderr
    assert "read 50 packets: 50 acknowledged" in done.stderr, done.stderr
    packets = rec.wait_packets(50, timeout=20)
    assert [p["arrays"] for p in packets] == [[[i, i + 0.5]] for i in range(50)]
    assert_contiguous([p["seq"] for p in packets])


def test_a_node_given_several_broker_urls_connects_to_one_that_answers(procs):
    broker = procs.broker()
    dead = f"nats://{HOST}:{free_port()}"
    server = procs.server("--broker", f"{dead},{broker.url}", "--broker-stream", "several", interval="20ms")
    rec = procs.recorder(server.url, "either")
    rec.wait_packets(5, timeout=20)
    assert healthz(server)["broker"] == "connected"
