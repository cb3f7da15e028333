#!/usr/bin/python3
"""Turns the JSON reports of bench/run.sh into summary.md and PNG plots.

  summarize.py --brief a.json [b.json ...]    one line (several files: parts of one run, merged)
  summarize.py --out RESULTS --plots DIR      summary.md in RESULTS, plots in DIR (gnuplot)
"""
import argparse
import glob
import os
import subprocess

from cluster_summary import cluster_section
from reports import load, med, merge

SERVERS = ["arraycast", "arraycast-binary", "beast", "node", "python"]
# The servers compared where only JSON is measured (connections, growth).
JSON_SERVERS = [s for s in SERVERS if s != "arraycast-binary"]


def server_ns(r):
    s = r.get("server", {})
    return s.get("cpu_s", 0) * 1e9 / r["packets"] if r["packets"] else 0


def bench_ns(r):
    return r["bench_cpu_s"] * 1e9 / r["packets"] if r["packets"] else 0


def brief(r):
    if not r:
        return "no report"
    s = r.get("server", {})
    if "storm" in r:
        st = r["storm"]
        return (f"{st['back']}/{r['connected']} back in {st['reconnect_all_s']:.2f} s (p50 {st['reconnect_p50_s']:.2f}), "
                f"{st['caught_up']} caught up in {st['caught_up_all_s']:.2f} s (p50 {st['caught_up_p50_s']:.2f}), "
                f"missing {r['missing']}, duplicates {r['duplicates']}, killed tail {st['killed_tail']}")
    return (f"{r['connected']}/{r['clients']} connected, {r['lost']} lost, {r['packets_per_s']:.0f} packets/s, "
            f"p50 {r['latency_us']['p50'] / 1e3:.1f} ms, p99 {r['latency_us']['p99'] / 1e3:.1f} ms, "
            f"missing {r['missing']}, server {server_ns(r):.0f} ns/pkt, bench {bench_ns(r):.0f} ns/pkt, "
            f"{s.get('rss_per_client_bytes', 0):.0f} B/client, all connected in {r['connect']['all_s']:.2f} s")


def runs(out, scenario, server):
    files = sorted(glob.glob(os.path.join(out, scenario, f"{server}.[0-9]*.json")))
    return [r for r in (load(f) for f in files) if r]


def ratio_rows(out, scenario, field):
    """Median over runs of arraycast's value divided by each other server's, same run."""
    rows = []
    for other in SERVERS[1:]:
        ratios = []
        for path in glob.glob(os.path.join(out, scenario, "arraycast.*.json")):
            run = path.rsplit(".", 2)[1]
            a, b = load(path), load(os.path.join(out, scenario, f"{other}.{run}.json"))
            if a and b and field(b) > 0:
                ratios.append(field(a) / field(b))
        if ratios:
            rows.append(f"| arraycast / {other} | {med(ratios):.2f}x | {len(ratios)} runs: "
                        + ", ".join(f"{x:.2f}" for x in sorted(ratios)) + " |")
    return rows


def throughput_section(out):
    lines = ["## 1. Throughput: 100 clients, free-running source (--interval 0)", "",
             "| server | packets/s delivered (median) | server CPU ns/packet | load generator CPU ns/packet | lost | missing |",
             "|---|---|---|---|---|---|"]
    for s in SERVERS:
        rs = runs(out, "throughput", s)
        if rs:
            lines.append(f"| {s} | {med(r['packets_per_s'] for r in rs):,.0f} | {med(server_ns(r) for r in rs):,.0f} | "
                         f"{med(bench_ns(r) for r in rs):,.0f} | {max(r['lost'] for r in rs)} | "
                         f"{max(r['missing'] for r in rs)} |")
    lines += ["", "| ratio, packets/s | median | per run |", "|---|---|---|"]
    lines += ratio_rows(out, "throughput", lambda r: r["packets_per_s"])
    return lines


def latency_section(out):
    lines = ["## 2. Latency under load: 1,000 clients x 100 packets/s", "",
             "| server | delivered share | p50 ms | p99 ms | p99.9 ms | max ms | lost | server CPU s/s |",
             "|---|---|---|---|---|---|---|---|"]
    for s in SERVERS:
        rs = runs(out, "latency", s)
        if rs:
            share = med(r["packets"] / (r["clients"] * 100 * r["window_s"]) for r in rs)
            lat = lambda k: med(r["latency_us"][k] / 1e3 for r in rs)
            cpu = med(r.get("server", {}).get("cpu_s", 0) / r["window_s"] for r in rs)
            lines.append(f"| {s} | {share:.1%} | {lat('p50'):.1f} | {lat('p99'):.1f} | {lat('p999'):.1f} | "
                         f"{lat('max'):.1f} | {max(r['lost'] for r in rs)} | {cpu:.2f} |")
    return lines


def acks_section(out):
    """Scenario 2 again, arraycast at its default log level, without and with every client acking."""
    lines = ["## 2 with acks: 1,000 clients x 100 packets/s, arraycast at its default log level", "",
             "| clients | delivered share | p50 ms | p99 ms | server CPU s/s | server log, whole run |",
             "|---|---|---|---|---|---|"]
    for ack in ("no-ack", "ack"):
        rs = runs(out, os.path.join("acks", ack), "arraycast-receipts")
        if rs:
            share = med(r["packets"] / (r["clients"] * 100 * r["window_s"]) for r in rs)
            lat = lambda k: med(r["latency_us"][k] / 1e3 for r in rs)
            cpu = med(r.get("server", {}).get("cpu_s", 0) / r["window_s"] for r in rs)
            logs = med(int(open(p).read()) for p in glob.glob(os.path.join(out, "acks", ack, "*.log-bytes")))
            lines.append(f"| {ack} | {share:.1%} | {lat('p50'):.1f} | {lat('p99'):.1f} | {cpu:.2f} | {logs:,.0f} bytes |")
    return lines


def connections_section(out):
    lines = ["## 3. Connections: many idle clients on the default stream (one packet every 2 s)", "",
             "| server | connected | failed | time to connect all | connect p50 / max ms | RSS per client | "
             "clients without a packet | latency p99 ms |", "|---|---|---|---|---|---|---|---|"]
    for s in SERVERS:
        r = merge([load(f) for f in sorted(glob.glob(os.path.join(out, "connections", f"{s}.part*.json")))])
        if r:
            lines.append(f"| {s} | {r['connected']:,} / {r['clients']:,} | {r['failed']} | {r['connect']['all_s']:.1f} s | "
                         f"{r['connect']['p50_us'] / 1e3:.1f} / {r['connect']['max_us'] / 1e3:.0f} | "
                         f"{r.get('server', {}).get('rss_per_client_bytes', 0) / 1024:.1f} KiB | "
                         f"{r['per_client']['without_packets']} | {r['latency_us']['p99'] / 1e3:.1f} |")
    return lines


def storm_section(out):
    lines = ["## 4. Reconnect storm: server SIGKILLed and respawned (bench --spawn --kill-after)", "",
             "| server | run | clients back | time to reconnect all (p50) | resumed into new epoch | "
             "caught up | time to catch up all (p50) | missing | duplicates | killed-epoch tail |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for s in SERVERS:
        for path in sorted(glob.glob(os.path.join(out, "storm", f"{s}.[0-9]*.json"))):
            r = load(path)
            if not r or "storm" not in r:
                continue
            st, run = r["storm"], path.rsplit(".", 2)[1]
            lines.append(f"| {s} | {run} | {st['back']:,} / {r['connected']:,} | {st['reconnect_all_s']:.2f} s "
                         f"({st['reconnect_p50_s']:.2f}) | {st['resumed_new_epoch']:,} | {st['caught_up']:,} | "
                         f"{st['caught_up_all_s']:.2f} s ({st['caught_up_p50_s']:.2f}) | {r['missing']} | "
                         f"{r['duplicates']} | {st['killed_tail']} |")
    return lines


def growth_point(out, n, server):
    """Medians over the runs at one size: packets/s, KiB per client, server CPU ns per packet, connected."""
    rs = runs(out, os.path.join("growth", str(n)), server)
    if not rs:
        return None
    return {"rate": med(r["packets_per_s"] for r in rs),
            "kib": med(r.get("server", {}).get("rss_per_client_bytes", float("nan")) / 1024 for r in rs),
            "ns": med(server_ns(r) for r in rs), "connected": min(r["connected"] for r in rs), "runs": len(rs)}


def growth_section(out, plots):
    sizes = sorted({int(os.path.basename(d)) for d in glob.glob(os.path.join(out, "growth", "*"))})
    if not sizes:
        return []
    lines = ["## 5. How cost grows: N clients, every size at the same fixed packet rate (medians)", "",
             "| clients | server | connected | packets/s delivered | server CPU ns/packet | server KiB/client | runs |",
             "|---|---|---|---|---|---|---|"]
    data = os.path.join(out, "growth.dat")
    nan = float("nan")
    with open(data, "w") as f:
        for n in sizes:
            points = {s: growth_point(out, n, s) for s in JSON_SERVERS}
            for s, p in points.items():
                if p:
                    lines.append(f"| {n:,} | {s} | {p['connected']:,} | {p['rate']:,.0f} | {p['ns']:,.0f} | "
                                 f"{p['kib']:.1f} | {p['runs']} |")
            f.write(f"{n} " + " ".join(str(points[s]["rate"] if points[s] else nan) for s in JSON_SERVERS) + " "
                    + " ".join(str(points[s]["kib"] if points[s] else nan) for s in JSON_SERVERS) + "\n")
    if plots:
        os.makedirs(plots, exist_ok=True)
        for name, title, ylabel, first in (("growth_throughput", "Packets delivered per second (10 packets/s per client)",
                                            "packets/s", 2),
                                           ("growth_memory", "Server memory per client (RSS growth / clients)",
                                            "KiB per client", 2 + len(JSON_SERVERS))):
            series = ", ".join(f"'{data}' using 1:{first + i} with linespoints title '{s}'" for i, s in enumerate(JSON_SERVERS))
            script = (f"set terminal pngcairo size 800,500; set output '{plots}/{name}.png'; set logscale x; "
                      f"set logscale y; set grid; set key left top; set title '{title}'; set xlabel 'clients'; "
                      f"set ylabel '{ylabel}'; plot {series}")
            if subprocess.run(["gnuplot", "-e", script]).returncode == 0:
                lines.append(f"\n![{title}]({name}.png)")
    return lines


def micro_section(out):
    try:
        text = open(os.path.join(out, "micro.txt")).read()
    except OSError:
        return []
    rows = [l for l in text.splitlines() if "_median" in l]
    return ["## Micro-benchmarks (Google Benchmark, median of 3)", "", "```"] + rows + ["```"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--brief", nargs="+")
    parser.add_argument("--out")
    parser.add_argument("--plots")
    args = parser.parse_args()
    if args.brief:
        print(brief(merge([load(f) for f in args.brief])))
        return
    lines = ["# bench/run.sh results", "", "```", open(os.path.join(args.out, "machine.txt")).read().strip(), "```", ""]
    for section in (throughput_section(args.out), latency_section(args.out), acks_section(args.out),
                    connections_section(args.out),
                    storm_section(args.out), growth_section(args.out, args.plots), micro_section(args.out),
                    cluster_section(args.out)):
        if len(section) > 4:
            lines += section + [""]
    with open(os.path.join(args.out, "summary.md"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
