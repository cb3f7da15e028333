"""Reading bench reports: shared by summarize.py and cluster_summary.py."""
import json
import statistics


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def merge(reports):
    """Parts of one run (several bench processes against one server) as one report."""
    reports = [r for r in reports if r]
    if not reports:
        return None
    if len(reports) == 1:
        return reports[0]
    m = dict(reports[0])
    for key in ("clients", "connected", "failed", "lost", "packets", "bytes", "missing", "duplicates",
                "clients_with_loss", "bench_cpu_s"):
        m[key] = sum(r[key] for r in reports)
    m["window_s"] = max(r["window_s"] for r in reports)
    m["packets_per_s"] = sum(r["packets_per_s"] for r in reports)
    m["per_client"] = {"without_packets": sum(r["per_client"]["without_packets"] for r in reports),
                       "packets": {"min": min(r["per_client"]["packets"]["min"] for r in reports),
                                   "max": max(r["per_client"]["packets"]["max"] for r in reports)}}
    m["connect"] = {"all_s": max(r["connect"]["all_s"] for r in reports),
                    "p50_us": statistics.median(r["connect"]["p50_us"] for r in reports),
                    "max_us": max(r["connect"]["max_us"] for r in reports)}
    m["latency_us"] = {k: max(r["latency_us"][k] for r in reports) for k in ("p50", "p99", "p999", "max")}
    servers = [r["server"] for r in reports if "server" in r]
    if servers:
        before = min(s["rss_before_kib"] for s in servers)
        now = max(s["rss_kib"] for s in servers)
        m["server"] = {"cpu_s": max(s["cpu_s"] for s in servers), "rss_before_kib": before, "rss_kib": now,
                       "hwm_kib": max(s["hwm_kib"] for s in servers),
                       "rss_per_client_bytes": (now - before) * 1024 / max(1, m["connected"])}
    return m


def med(values):
    values = list(values)
    return statistics.median(values) if values else float("nan")
