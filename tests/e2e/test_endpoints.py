"""The plain-HTTP side of the stream's port: /healthz, /metrics (Prometheus
text exposition), /clients, and the embedded dashboard files."""

import json
import re
import urllib.error
import urllib.request

from conftest import connect, hello, recv_json, run, wait_until

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)')


def get(server, path, method="GET"):
    """(status, headers, body text) of one request to the server."""
    req = urllib.request.Request(f"http://127.0.0.1:{server.port}{path}", method=method)
    try:
        with urllib.request.urlopen(req, timeout=5) as res:
            return res.status, res.headers, res.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()


def parse_exposition(text):
    """{(name, frozenset(labels)): value}, checking the format as it goes:
    every sample's family has # HELP and # TYPE first, counters end in _total,
    no series appears twice."""
    types, helps, samples = {}, set(), {}
    for line in text.splitlines():
        if line.startswith("# HELP "):
            helps.add(line.split()[2])
        elif line.startswith("# TYPE "):
            _, _, name, kind = line.split()
            assert kind in ("counter", "gauge"), line
            types[name] = kind
        else:
            m = SAMPLE.match(line)
            assert m, f"not a sample line: {line!r}"
            name, labels, value = m.group(1), m.group(2) or "", float(m.group(3))
            assert name in types and name in helps, f"{name} has no # TYPE/# HELP before it"
            assert (types[name] == "counter") == name.endswith("_total"), f"{name} is a {types[name]}"
            parsed = frozenset(LABEL.findall(labels))
            assert len(parsed) == labels.count('="'), f"bad labels: {labels!r}"
            key = (name, parsed)
            assert key not in samples, f"duplicate series {key}"
            samples[key] = value
    return samples


def metric(samples, name, **labels):
    return samples[(name, frozenset(labels.items()))]


def scrape(server):
    status, headers, body = get(server, "/metrics")
    assert status == 200
    assert headers["Content-Type"].startswith("text/plain; version=0.0.4")
    return parse_exposition(body)


def test_healthz_metrics_and_clients_follow_the_stream(procs):
    server = procs.server(interval="50ms")
    a = procs.recorder(server.url, "rec-a")
    b = procs.recorder(server.url, "rec-b")
    a.wait_packets(5)
    b.wait_packets(5)

    status, headers, body = get(server, "/healthz")
    assert status == 200 and headers["Content-Type"] == "application/json"
    assert json.loads(body) == {"status": "ok", "clients": 2, "source": "running"}

    first = scrape(server)
    assert metric(first, "arraycast_clients_connected") == 2
    for name in ("rec-a", "rec-b"):
        lags = [v for (n, labels), v in first.items()
                if n == "arraycast_client_lag_packets" and ("client", name) in labels]
        assert len(lags) == 1 and lags[0] <= 5, f"{name}: lag {lags}"
    for reason in ("slow", "timeout", "too_big", "bad_messages"):
        assert metric(first, "arraycast_clients_dropped_total", reason=reason) == 0
    assert metric(first, "arraycast_send_queue_messages") >= 0

    wait_until(lambda: len(a.packets()) >= 15, 10, "10 more packets")
    # /metrics is rendered at most once a second while the client count holds.
    second = wait_until(lambda: (lambda s: metric(s, "arraycast_acks_received_total") >
                                 metric(first, "arraycast_acks_received_total") and s)(scrape(server)),
                        5, "the next rendering of /metrics")
    for counter in ("arraycast_packets_generated_total", "arraycast_messages_sent_total",
                    "arraycast_bytes_sent_total", "arraycast_acks_received_total"):
        assert metric(second, counter) > metric(first, counter) > 0, counter
    # Each recorder got every packet since it joined, plus its welcome.
    assert metric(second, "arraycast_messages_sent_total") >= 2 * 15

    status, _, body = get(server, "/clients")
    assert status == 200
    clients = {c["name"]: c for c in json.loads(body)}
    assert set(clients) == {"rec-a", "rec-b"}
    for c in clients.values():
        assert re.fullmatch(r"127\.0\.0\.1:\d+", c["address"])
        assert c["last_acked"] >= 5 and c["lag"] <= 5
        assert 0 < c["connected_since"] <= c["last_ack_at"]

    # A client gone is gone from all three.
    a.kill()
    wait_until(lambda: metric(scrape(server), "arraycast_clients_connected") == 1, 5, "the gauge to drop to 1")
    assert [c["name"] for c in json.loads(get(server, "/clients")[2])] == ["rec-b"]
    assert json.loads(get(server, "/healthz")[2])["clients"] == 1


def test_bad_messages_are_counted(procs):
    server = procs.server(interval="50ms")

    async def scenario():
        ws = await connect(server.url)
        await hello(ws, "clumsy")
        await ws.send("not json")
        while (await recv_json(ws))["type"] != "error":
            pass
        await ws.close()

    run(scenario())
    assert metric(scrape(server), "arraycast_bad_messages_total") == 1


def test_dashboard_is_served_from_the_binary(procs):
    server = procs.server()
    status, headers, page = get(server, "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    for asset, kind in re.findall(r'(?:src|href)="(/[^"]+\.(js|css))"', page):
        status, headers, body = get(server, asset)
        assert status == 200, asset
        assert headers["Content-Type"].startswith("text/javascript" if kind == "js" else "text/css")
        assert len(body) > 1000 and "http://" not in body.replace("http://www.w3.org", ""), asset

    status, headers, body = get(server, "/", method="HEAD")
    assert status == 200 and body == "" and int(headers["Content-Length"]) == len(page.encode())
    assert get(server, "/nothing-here")[0] == 404
    assert get(server, "/metrics", method="POST")[0] == 405


def test_a_reconnecting_client_keeps_its_metric_series(procs):
    """Every connection comes from a new port: if a label carried it, each
    reconnect would start new Prometheus series that live on in the TSDB."""
    server = procs.server(interval="50ms")
    seen = set()

    async def once(acks_before):
        ws = await connect(server.url)
        await hello(ws, "comeback")
        m = await recv_json(ws)
        while m["type"] != "packet":
            m = await recv_json(ws)
        await ws.send(json.dumps({"type": "ack", "seq": m["seq"]}))
        wait_until(lambda: metric(scrape(server), "arraycast_acks_received_total") > acks_before, 5,
                   "the ack")
        for (name, labels), _ in scrape(server).items():
            if name.startswith("arraycast_client_"):
                seen.add((name, labels))
        await ws.close()

    for i in range(5):
        run(once(i))
        wait_until(lambda: metric(scrape(server), "arraycast_clients_connected") == 0, 5, "the client to leave")
    families = {name for name, _ in seen}
    assert len(seen) == len(families) == 3, f"series seen over 5 connections: {sorted(seen)}"
    for _, labels in seen:
        assert dict(labels) == {"client": "comeback", "address": "127.0.0.1"}
