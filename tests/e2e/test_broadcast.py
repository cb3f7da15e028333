"""Every client gets the same packets: three recorders in three formats, the
server's receipt log, --seed, and an independent Python client."""

import json
import signal

from conftest import (RECEIPT, assert_contiguous, by_epoch, check_packet, connect, hello, read_csv,
                      read_txt, recv_json, run, wait_until)


def test_three_recorders_in_three_formats_receive_the_same_packets(procs):
    server = procs.server("--min", "10", "--max", "19", seed=7)
    txt = procs.recorder(server.url, "c1", "c1.txt")
    jsonl = procs.recorder(server.url, "c2", "c2.jsonl")
    csv = procs.recorder(server.url, "c3", "c3.csv")

    jsonl.wait_packets(15)
    csv.wait_lines(15 * 5)
    wait_until(lambda: sum(r[0] == "packet" for r in read_txt(txt.out)) >= 15 if txt.out.exists() else False,
               10, "15 packets in txt")
    for r in (txt, jsonl, csv):
        assert r.stop(signal.SIGINT) == 0, r.stderr()

    # jsonl: every packet well formed, in range, seq increasing by one, one epoch.
    packets = jsonl.packets()
    for p in packets:
        check_packet(p, lo=10, hi=19)
    epochs = by_epoch(packets)
    assert list(epochs) == [server.epoch]
    assert_contiguous(epochs[server.epoch])
    values = {v for p in packets for a in p["arrays"] for v in a}
    assert values == set(range(10, 20)), "over 750 draws every value of [min, max] shows up, and nothing else"
    expected = {p["seq"]: p["arrays"] for p in packets}

    # csv: same arrays under the same seq, contiguous.
    rows, comments = read_csv(csv.out)
    assert_contiguous([seq for _, seq, _ in rows])
    csv_packets = {seq: arrays for _, seq, arrays in rows}
    common = set(csv_packets) & set(expected)
    assert len(common) >= 10
    for seq in common:
        assert csv_packets[seq] == expected[seq], f"csv packet {seq} differs from jsonl"
    assert any("connected to " + server.url in c for c in comments)

    # txt has no seq: its packets must be a contiguous run of the jsonl ones.
    txt_packets = [r[1] for r in read_txt(txt.out) if r[0] == "packet"]
    by_arrays = {json.dumps(a): seq for seq, a in expected.items()}
    seqs = [by_arrays.get(json.dumps(a)) for a in txt_packets]
    matched = [s for s in seqs if s is not None]
    assert len(matched) >= 10, "txt and jsonl recorded mostly the same packets"
    assert_contiguous(matched)
    # Only the packets before or after the jsonl recorder's lifetime may be unknown to it.
    inner = seqs[seqs.index(matched[0]):seqs.index(matched[-1]) + 1]
    assert None not in inner


def test_seed_makes_two_servers_agree_packet_by_packet(procs):
    first = procs.server(seed=12345)
    second = procs.server(seed=12345)
    other = procs.server(seed=54321)
    recorders = [procs.recorder(s.url, f"seed{i}") for i, s in enumerate((first, second, other))]
    for r in recorders:
        r.wait_packets(8)
    a, b, c = ({p["seq"]: p["arrays"] for p in r.packets()} for r in recorders)

    common = set(a) & set(b)
    assert len(common) >= 4, "the two recorders overlap in seq"
    for seq in common:
        assert a[seq] == b[seq], f"same seed, packet {seq} differs"
    # The third server started later, so its seqs need not overlap the first's:
    # compare what was sent, whatever its seq (50 random values never repeat).
    sent_by_a = {json.dumps(arrays) for arrays in a.values()}
    assert not any(json.dumps(arrays) in sent_by_a for arrays in c.values()), "another seed gives other arrays"


def test_server_log_shows_each_clients_receipts(procs):
    server = procs.server()
    recorders = [procs.recorder(server.url, name) for name in ("alpha", "beta", "gamma")]
    for r in recorders:
        r.wait_packets(5)
    for r in recorders:
        name = r.args[r.args.index("--name") + 1]
        recorded = {p["seq"] for p in r.packets()}
        wait_until(lambda: len(server.receipts(name)) >= 3, 5, f"receipt lines for {name}")
        for who, seq, arrays in server.receipts(name):
            assert arrays == 5
            assert seq in recorded or seq > max(recorded), f"{name} acked {seq}, which it never recorded"
    line = RECEIPT.search(server.stdout()).group(0)
    assert float(line.split(" ms after")[0].rsplit(" ", 1)[1]) >= 0


def test_python_client_follows_the_protocol(procs):
    server = procs.server("--arrays", "3", "--length", "4", "--min", "-5", "--max", "5")

    async def scenario():
        ws = await connect(server.url)
        welcome = await hello(ws, "py")
        assert welcome["epoch"] == server.epoch
        assert (welcome["arrays"], welcome["length"], welcome["min"], welcome["max"]) == (3, 4, -5, 5)
        assert welcome["interval_us"] == 100_000
        assert welcome["history"] > 0 and welcome["head"] >= 0
        seqs = []
        while len(seqs) < 8:
            m = await recv_json(ws)
            assert m["type"] == "packet", m
            check_packet(m, arrays=3, length=4, lo=-5, hi=5)
            assert m["seq"] > welcome["head"], "a fresh client starts live"
            seqs.append(m["seq"])
            await ws.send(json.dumps({"type": "ack", "seq": m["seq"]}))
        await ws.close()
        assert ws.close_code == 1000
        return seqs

    seqs = run(scenario())
    assert_contiguous(seqs)
    wait_until(lambda: {s for _, s, _ in server.receipts("py")} == set(seqs), 5,
               "a receipt line for every ack")
    assert all(n == 3 for _, _, n in server.receipts("py"))
