"""contrib/grafana/arraycast.json: the board parses, and every metric its queries name is one a
live server prints, per-client series (a recorder connected) and broker series (a node of a
NATS stream) included, so a renamed metric cannot leave a panel silently empty."""

import json
import re
import urllib.request

from conftest import HOST, ROOT, SLOW, wait_until

BOARD = ROOT / "contrib" / "grafana" / "arraycast.json"
METRIC = re.compile(r"\barraycast_[a-z0-9_]+")
SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{[^}]*\})? ", re.M)
TYPE = re.compile(r"^# TYPE (\S+) (\S+)$", re.M)


def queries(board):
    """Every PromQL query of the board: each panel's targets (rows nest panels), and the variables'."""
    panels = list(board["panels"])
    for row in board["panels"]:
        panels += row.get("panels", [])
    found = [t["expr"] for p in panels for t in p.get("targets", [])]
    return found + [v["definition"] for v in board["templating"]["list"] if "definition" in v]


def names_printed(server):
    """The metric names a /metrics page holds; a histogram's family name stands for its _bucket/_sum/_count."""
    with urllib.request.urlopen(f"http://{HOST}:{server.port}/metrics", timeout=5 * SLOW) as r:
        text = r.read().decode()
    names = set(SAMPLE.findall(text))
    for family, kind in TYPE.findall(text):
        if kind in ("histogram", "summary"):
            names |= {family + suffix for suffix in ("_bucket", "_sum", "_count")}
    return names


def board_names():
    board = json.loads(BOARD.read_text())
    assert board["schemaVersion"] >= 39 and board["uid"] == "arraycast"
    ids = [p["id"] for p in board["panels"]]
    assert len(ids) == len(set(ids)), "panel ids repeat"
    exprs = queries(board)
    assert exprs and all(METRIC.search(e) for e in exprs), "a query names no arraycast metric"
    return {name for e in exprs for name in METRIC.findall(e)}


def test_every_metric_the_board_plots_is_printed_by_a_live_server(procs):
    broker = procs.broker()
    server = procs.server("--broker", broker.url, "--broker-stream", "grafana", interval="20ms")
    rec = procs.recorder(server.url, "rec")
    rec.wait_packets(3)
    printed = set()

    def every_name_printed():
        printed.update(names_printed(server))
        return {"arraycast_client_lag_packets", "arraycast_broker_producing"} <= printed
    wait_until(every_name_printed, 10, "per-client and broker series on /metrics")
    used = board_names()
    assert {"arraycast_clients_connected", "arraycast_client_lag_packets", "arraycast_bytes_sent_total"} <= used
    assert used - printed == set(), f"the board plots metrics the server does not print: {sorted(used - printed)}"


def test_the_prometheus_config_scrapes_the_default_port():
    text = (ROOT / "contrib" / "prometheus.yml").read_text()
    assert '"127.0.0.1:6969"' in text and "metrics_path: /metrics" in text
