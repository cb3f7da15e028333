#!/usr/bin/env bash
# Ingest benchmark (issue 11): packets per second and latency from a producer
# through each way in (stdin, UDP, /publish) to 100 clients, against the
# built-in random source on the same machine in the same run. The producer
# (bench/producer.py) stamps each packet's ts as it writes it, so the latency
# `arraycast bench` reports (receive time - ts) includes the way in.
#
#   bench/ingest.sh                       RATE=1000 packets/s for latency, then RATE=0 (as fast as possible)
#   BIN=build/release/src/arraycast CLIENTS=100 DURATION=5s bench/ingest.sh
#
# Every process is started here, by PID, and stopped here.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/release/src/arraycast}
CLIENTS=${CLIENTS:-100}
DURATION=${DURATION:-5s}
RATES=${RATES:-"1000 0"}
OUT=${OUT:-build/bench/ingest-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
free_port() { /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PIDS=()
cleanup() {  # each PID and its children (the pipelines started in subshells)
  for p in "${PIDS[@]}"; do pkill -P "$p" 2>/dev/null || true; kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  PIDS=()
}
trap cleanup EXIT

# run PATH RATE: one measurement; prints one summary line.
run() {
  local path=$1 rate=$2 port udp seconds=12 log="$OUT/$1.$2.server.log"
  port=$(free_port); udp=$(free_port)
  local serve=("$BIN" serve --port "$port" --log-level warn --history 1024)
  case $path in
    random) "${serve[@]}" --source random --interval "$([ "$rate" = 0 ] && echo 0 || echo $((1000000 / rate))us)" >"$log" 2>&1 & PIDS+=($!) ;;
    stdin) /usr/bin/python3 bench/producer.py --rate "$rate" --seconds $seconds | "${serve[@]}" --source stdin >"$log" 2>&1 & PIDS+=($!) ;;
    udp) "${serve[@]}" --source "udp:127.0.0.1:$udp" >"$log" 2>&1 & PIDS+=($!)
         (sleep 1; /usr/bin/python3 bench/producer.py --rate "$rate" --seconds $seconds --udp "127.0.0.1:$udp") & PIDS+=($!) ;;
    publish) "${serve[@]}" --source publish --allow-publish >"$log" 2>&1 & PIDS+=($!)
         (sleep 1; /usr/bin/python3 bench/producer.py --rate "$rate" --seconds $seconds |
            "$BIN" publish --url "ws://127.0.0.1:$port/publish" --from stdin --log-level warn) >"$OUT/$path.$rate.publish.log" 2>&1 & PIDS+=($!) ;;
  esac
  local server_pid
  sleep 1.5
  server_pid=$(pgrep -f -n -- "serve --port $port") || { echo "$path $rate: the server did not start: $(cat "$log")"; cleanup; return; }
  "$BIN" bench --url "ws://127.0.0.1:$port/" --clients "$CLIENTS" --duration "$DURATION" --server-pid "$server_pid" --json \
    >"$OUT/$path.$rate.json" 2>"$OUT/$path.$rate.err" || true
  cleanup
  /usr/bin/python3 - "$OUT/$path.$rate.json" "$path" "$rate" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
lat = r.get("latency_us", {})
cpu = r.get("server", {}).get("cpu_us_per_packet") or r.get("server_cpu_us_per_packet")
print(f"{sys.argv[2]:8} rate {sys.argv[3]:>5}: {r.get('packets_per_s', r.get('throughput', 0)):>10,.0f} packets/s delivered, "
      f"latency p50 {lat.get('p50', 0)/1000:.2f} ms p99 {lat.get('p99', 0)/1000:.2f} ms, missing {r.get('missing')}")
PY
}

for rate in $RATES; do
  for path in random stdin udp publish; do run "$path" "$rate"; done
done
echo "reports in $OUT"
