"""Clients fail over between nodes: `record`, `publish` and `bench` take
several --url (repeated, or comma-separated) and, when a connection is lost,
go on with the next one. The nodes here are independent servers (each its
own epoch), so a move shows in the recording as a "new epoch" gap."""

import json
import re
import subprocess

import pytest

from conftest import BIN, SLOW, Proc, assert_contiguous, by_epoch, read_jsonl, wait_until

PUBLISH = ["--source", "publish", "--allow-publish"]


def two_servers(procs, *extra):
    return procs.server(*extra, label="server-a"), procs.server(*extra, label="server-b")


def said_hello(server, name):
    return len(re.findall(rf"{name} \(127\.0\.0\.\d+:\d+\) said hello", server.stdout()))


@pytest.mark.parametrize("repeated", [False, True], ids=["comma-separated", "repeated"])
def test_the_recorder_moves_to_the_next_node_when_its_node_dies(procs, repeated):
    a, b = two_servers(procs)
    urls = [a.url, "--url", b.url] if repeated else [f"{a.url},{b.url}"]
    rec = procs.recorder(urls[0], "rec", None, *urls[1:])
    rec.wait_packets(5)
    assert said_hello(b, "rec") == 0
    a.kill()
    # The first move after a connection that was up waits for no backoff.
    wait_until(lambda: by_epoch(rec.packets()).get(b.epoch, []), 3, "the recorder to record from B")
    wait_until(lambda: len(by_epoch(rec.packets()).get(b.epoch, [])) >= 5, 5, "five packets from B")
    assert rec.stop() == 0

    lines = read_jsonl(rec.out)
    kinds = [x.get("event", "packet") for x in lines]
    connected = [x["url"] for x in lines if x.get("event") == "connected"]
    assert connected == [a.url, b.url], connected
    epochs = by_epoch(rec.packets())
    assert list(epochs) == [a.epoch, b.epoch]
    assert_contiguous(epochs[a.epoch])
    assert epochs[b.epoch][0] == 1  # B's history from its start: nothing of it missed
    assert_contiguous(epochs[b.epoch])
    # A's packets, the loss, B, the new-epoch gap, B's packets.
    gap = rec.events("gap")
    assert len(gap) == 1 and gap[0]["reason"] == "new epoch" and gap[0]["from"] == epochs[a.epoch][-1] + 1, gap
    i_gap = lines.index(gap[0])
    assert kinds.index("disconnected") < kinds.index("connected", 1) < i_gap
    assert all(x.get("epoch") in (None, a.epoch) for x in lines[:i_gap])
    assert all(x.get("epoch") in (None, b.epoch) for x in lines[i_gap:])
    assert re.search(rf"connected to {re.escape(b.url)}", rec.stderr()), rec.stderr()


def test_a_node_down_at_start_is_passed_over(procs):
    down = procs.server(label="server-down")
    down.kill()
    b = procs.server(label="server-b")
    rec = procs.recorder(f"{down.url},{b.url}", "rec")
    packets = rec.wait_packets(3, timeout=5)
    assert {p["epoch"] for p in packets} == {b.epoch}
    assert f"cannot connect to {down.url}" in rec.stderr()
    assert [e["url"] for e in rec.events("connected")] == [b.url]


def test_the_producer_moves_to_the_next_node_and_loses_nothing(procs):
    a, b = two_servers(procs, *PUBLISH)
    rec = procs.recorder(f"{a.url},{b.url}", "rec")
    wait_until(lambda: said_hello(a, "rec"), 5, "the recorder on A")
    producer = Proc([BIN, "publish", "--url", f"{a.url}publish,{b.url}publish", "--from", "stdin"],
                    procs.workdir, procs._label("producer"), stdin=subprocess.PIPE)
    procs.started.append(producer)
    feed = producer.popen.stdin

    def write(first, last):
        feed.write("".join(f"[[{i}]]\n" for i in range(first, last + 1)).encode())
        feed.flush()

    write(1, 50)
    rec.wait_packets(50)
    a.kill()
    write(51, 100)  # read while A is gone: held, and sent to B
    wait_until(lambda: said_hello(b, "rec"), 5, "the recorder on B")
    feed.close()  # the source ends: the producer exits once B acknowledged everything
    assert producer.wait_exit(10) == 0, producer.output()[-2000:]
    m = re.search(r"read (\d+) packets: (\d+) acknowledged, (\d+) dropped here, (\d+) refused by the server, "
                  r"(\d+) unacknowledged", producer.output())
    assert m and tuple(map(int, m.groups())) == (100, 100, 0, 0, 0), producer.output()[-2000:]
    assert f"connected to {b.url}publish" in producer.output()

    def values(epoch):
        return [p["arrays"][0][0] for p in rec.packets() if p["epoch"] == epoch]

    wait_until(lambda: values(b.epoch) and values(b.epoch)[-1] == 100, 10, "the recorder to get packet 100 from B")
    on_a, on_b = values(a.epoch), values(b.epoch)
    assert on_a == list(range(1, len(on_a) + 1))
    # B starts where A's acknowledgements stopped; what A streamed unacknowledged is resent.
    assert on_b == list(range(on_b[0], 101)) and on_b[0] <= len(on_a) + 1, (on_a, on_b)


def run_bench(*args):
    return subprocess.run([BIN, "bench", *args], capture_output=True, text=True, timeout=60 * SLOW)


def test_bench_spreads_its_clients_over_the_nodes(procs):
    a, b = two_servers(procs)
    done = run_bench("--url", f"{a.url},{b.url}", "--clients", "6", "--duration", "500ms", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["per_url"] == [{"url": a.url, "started": 3, "up_at_end": 3},
                                 {"url": b.url, "started": 3, "up_at_end": 3}], report["per_url"]
    # Client k on URL k mod 2, as the servers saw it.
    for server, first in ((a, 0), (b, 1)):
        wait_until(lambda: said_hello(server, r"bench\d+") == 3, 5, f"{server.label}'s log of the hellos")
        assert all(said_hello(server, f"bench{k}") == 1 for k in range(first, 6, 2)), server.stdout()
    text = run_bench("--url", a.url, "--url", b.url, "--clients", "2", "--duration", "200ms")
    assert f"{a.url}: 1 started, 1 up at the end; {b.url}: 1 started" in text.stdout, text.stdout


def test_bench_clients_move_to_the_next_node_when_theirs_dies(procs):
    a, b = two_servers(procs)
    bench = Proc([BIN, "bench", "--url", f"{a.url},{b.url}", "--clients", "4", "--duration", "3s", "--json"],
                 procs.workdir, procs._label("bench"))
    procs.started.append(bench)
    wait_until(lambda: said_hello(a, r"bench\d+") == 2 and said_hello(b, r"bench\d+") == 2, 5, "the clients on both nodes")
    a.kill()
    bench.wait_exit(15)
    report = json.loads(bench.stdout())
    assert report["per_url"][1] == {"url": b.url, "started": 2, "up_at_end": 4}, report
    assert report["lost"] == 2 and report["down_at_end"] == 0, report


@pytest.mark.parametrize("command", ["record", "publish", "bench"])
def test_a_bad_url_in_the_list_is_named(command, tmp_path):
    done = subprocess.run([BIN, command, "--url", "ws://ok,notaurl"], capture_output=True, text=True, timeout=10,
                          cwd=tmp_path)
    assert done.returncode == 2
    assert "--url" in done.stderr and "'notaurl' is not a URL" in done.stderr, done.stderr
