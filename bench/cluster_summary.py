#!/usr/bin/python3
"""The cluster scenario's figures (bench/cluster_scenario.sh): one node against a producer
and 3 relays through nats-server -js, from the load processes' reports and the broker's and
producer's CPU sampled around them.

  cluster_summary.py --brief RESULTS/cluster RUN   one line for that run of the 3 relays
  cluster_summary.py --publish RESULTS/cluster/publish.json   the free-running producer
"""
import argparse
import glob
import os

from reports import load, med, merge


def parts(cluster_dir, group, run):
    return merge([load(f) for f in sorted(glob.glob(os.path.join(cluster_dir, group, f"{run}.part*.json")))])


def nodes_cpu_s(cluster_dir, group, run):
    """CPU of the nodes the clients were on over the window: one node for all three load
    processes (counted once), or one relay each (summed)."""
    reports = [load(f) for f in sorted(glob.glob(os.path.join(cluster_dir, group, f"{run}.part*.json")))]
    cpus = [r["server"]["cpu_s"] for r in reports if r and "server" in r]
    return max(cpus, default=0) if group == "single" else sum(cpus)


def cost(path):
    """What the broker and the producer spent between two samples, per packet published."""
    c = load(path)
    if not c:
        return None
    b, a = c["before"], c["after"]
    published = a["published"] - b["published"]
    seconds = a["t"] - b["t"]
    per = (lambda cpu: cpu * 1e6 / published) if published else (lambda cpu: 0)
    return {"seconds": seconds, "published_per_s": published / seconds,
            "nats_us": per(a["nats_cpu_s"] - b["nats_cpu_s"]), "nats_cores": (a["nats_cpu_s"] - b["nats_cpu_s"]) / seconds,
            "producer_us": per(a["producer_cpu_s"] - b["producer_cpu_s"])}


def row(cluster_dir, group, run):
    r = parts(cluster_dir, group, run)
    if not r:
        return None
    node_us = nodes_cpu_s(cluster_dir, group, run) * 1e6 / r["packets"] if r["packets"] else 0
    return {"connected": r["connected"], "clients": r["clients"], "packets_per_s": r["packets_per_s"],
            "missing": r["missing"], "lost": r["lost"], "node_us": node_us,
            **{k: r["latency_us"][k] / 1e3 for k in ("p50", "p99", "p999", "max")}}


def text(r):
    return (f"{r['connected']}/{r['clients']} connected, {r['lost']} lost, {r['packets_per_s']:,.0f} packets/s, "
            f"p50 {r['p50']:.2f} ms, p99 {r['p99']:.2f} ms, missing {r['missing']}, "
            f"fan-out nodes' CPU {r['node_us']:.1f} us/delivered packet")


def brief(cluster_dir, run):
    r, c = row(cluster_dir, "broker", run), cost(os.path.join(cluster_dir, "broker", f"{run}.cost.json"))
    if not r or not c:
        return "no report"
    return (text(r) + f"; nats-server {c['nats_us']:.0f} us and producer {c['producer_us']:.0f} us "
            f"per published packet ({c['published_per_s']:.0f}/s)")


def publish_brief(path):
    c = cost(path)
    if not c:
        return "no report"
    return (f"{c['published_per_s']:,.0f} packets/s published, nats-server {c['nats_us']:.1f} us "
            f"({c['nats_cores']:.2f} cores), producer {c['producer_us']:.1f} us per packet")


def cluster_section(out):
    cluster_dir = os.path.join(out, "cluster")
    runs = sorted({os.path.basename(f).split(".")[0] for f in glob.glob(os.path.join(cluster_dir, "*", "*.part*.json"))})
    lines = ["## Cluster: one node against a producer and 3 relays (nats-server -js)", "",
             "| run | setup | result |", "|---|---|---|"]
    added = []
    for run in runs:
        single, broker = row(cluster_dir, "single", run), row(cluster_dir, "broker", run)
        if single:
            lines.append(f"| {run} | one node | {text(single)} |")
        if broker:
            lines.append(f"| {run} | 3 relays | {brief(cluster_dir, run)} |")
        if single and broker:
            added.append((broker["p50"] - single["p50"], broker["p99"] - single["p99"]))
    if added:
        lines += ["", f"Latency the broker adds (3 relays minus one node, same run; median of {len(added)}): "
                      f"p50 {med(a for a, _ in added):+.2f} ms, p99 {med(b for _, b in added):+.2f} ms"]
    if os.path.exists(os.path.join(cluster_dir, "publish.json")):
        lines += ["", "Producer free-running into the broker: " + publish_brief(os.path.join(cluster_dir, "publish.json"))]
    return lines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--brief", nargs=2, metavar=("CLUSTER_DIR", "RUN"))
    parser.add_argument("--publish")
    args = parser.parse_args()
    print(brief(*args.brief) if args.brief else publish_brief(args.publish))


if __name__ == "__main__":
    main()
