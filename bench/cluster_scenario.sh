# shellcheck shell=bash
# The cluster scenario of bench/run.sh (issue 12), sourced by it: several nodes sharing one
# stream through a real nats-server -js on loopback, against one node in the same run. Uses
# run.sh's OUT, BIN, DURATION, CLUSTER_* and helpers (server_command, start_server, wait_url,
# stop_pid, stop_server, free_port); every process is started here and stopped by PID.

CLK_TCK=$(getconf CLK_TCK)

# start_broker: nats-server -js on a free loopback port with a fresh store; sets BROKER_PID, BROKER_URL.
start_broker() {
  local port log="$OUT/nats.log"
  port=$(free_port)
  rm -rf "$OUT/nats-store"
  nats-server -js -a 127.0.0.1 -p "$port" -sd "$OUT/nats-store" >"$log" 2>&1 &
  BROKER_PID=$!
  BROKER_URL=nats://127.0.0.1:$port
  for _ in $(seq 100); do grep -q "Server is ready" "$log" && return 0; sleep 0.1; done
  echo "nats-server did not start: $(cat "$log")" >&2
  return 1
}

# start_node NAME INTERVAL_US [serve flags...]: a node of the broker's stream, as the single
# node is started plus --broker; appends to NODE_PIDS and NODE_URLS.
start_node() {
  local name=$1 log="$OUT/node.$1.log" command url
  command="$(server_command arraycast 0 "$2") --broker $BROKER_URL --broker-stream bench"
  shift 2
  # shellcheck disable=SC2086 # the command is split into words on purpose
  $command "$@" >"$log" 2>&1 &
  NODE_PIDS+=($!)
  url=$(wait_url "$log") || { echo "node $name did not start: $(cat "$log")" >&2; return 1; }
  NODE_URLS+=("$url")
}

# start_cluster INTERVAL_US [producer flags...]: the broker, a producer and 3 relays.
start_cluster() {
  local interval_us=$1
  shift
  start_broker && start_node producer "$interval_us" "$@" &&
    start_node relay1 "$interval_us" --relay && start_node relay2 "$interval_us" --relay &&
    start_node relay3 "$interval_us" --relay && return 0
  stop_cluster
  return 1
}

stop_cluster() {
  local pid
  for pid in "${NODE_PIDS[@]}"; do stop_pid "$pid"; done
  [ -n "$BROKER_PID" ] && stop_pid "$BROKER_PID"
  NODE_PIDS=()
  NODE_URLS=()
  BROKER_PID=""
}

cpu_seconds() { awk -v tck="$CLK_TCK" '{ print ($14 + $15) / tck }' "/proc/$1/stat"; }

metric() { curl -s "${1/ws:/http:}metrics" | awk -v name="$2" '$1 == name { print $2 }'; }

# cluster_sample: the broker's and the producer's CPU and the packets published, now, as JSON.
cluster_sample() {
  printf '{"t": %s, "nats_cpu_s": %s, "producer_cpu_s": %s, "published": %s}' "$(date +%s.%N)" \
    "$(cpu_seconds "$BROKER_PID")" "$(cpu_seconds "${NODE_PIDS[0]}")" \
    "$(metric "${NODE_URLS[0]}" arraycast_broker_published_total)"
}

# bench_spread NAME RUN URL PID URL PID URL PID: one load process of CLUSTER_CLIENTS per node
# given (3: more processes than that would measure the two cores' scheduler), in parallel.
bench_spread() {
  local dir=$OUT/cluster/$1 run=$2 p=0 pids=()
  shift 2
  mkdir -p "$dir"
  while [ $# -gt 0 ]; do
    "$BIN" bench --url "$1" --server-pid "$2" --clients "$CLUSTER_CLIENTS" --first-index $((p * CLUSTER_CLIENTS)) \
      --duration "$DURATION" --connect-rate 2000 --connect-timeout 30s --json \
      >"$dir/$run.part$p.json" 2>"$dir/$run.part$p.err" &
    pids+=($!)
    p=$((p + 1))
    shift 2
  done
  for p in "${pids[@]}"; do wait "$p" || true; done
}

# measure_single RUN: 3 x CLUSTER_CLIENTS on one node without a broker.
measure_single() {
  start_server arraycast "$CLUSTER_INTERVAL_US" || return 0
  sleep 0.3
  bench_spread single "$1" "$SERVER_URL" "$SERVER_PID" "$SERVER_URL" "$SERVER_PID" "$SERVER_URL" "$SERVER_PID"
  stop_server
  echo "  cluster single node run $1: $(/usr/bin/python3 bench/summarize.py --brief "$OUT"/cluster/single/"$1".part*.json)"
}

# measure_cluster RUN: CLUSTER_CLIENTS on each of the 3 relays, the broker's and producer's CPU around it.
measure_cluster() {
  local run=$1 before
  start_cluster "$CLUSTER_INTERVAL_US" || return 0
  sleep 0.3
  before=$(cluster_sample)
  bench_spread broker "$run" "${NODE_URLS[1]}" "${NODE_PIDS[1]}" "${NODE_URLS[2]}" "${NODE_PIDS[2]}" \
    "${NODE_URLS[3]}" "${NODE_PIDS[3]}"
  echo "{\"before\": $before, \"after\": $(cluster_sample)}" >"$OUT/cluster/broker/$run.cost.json"
  stop_cluster
  echo "  cluster 3 relays run $run: $(/usr/bin/python3 bench/cluster_summary.py --brief "$OUT/cluster" "$run")"
}

# measure_publish_rate: the producer free-running (--interval 0) into the broker, 3 relays
# following, no clients: how fast one synchronous publish per packet goes, and the broker's cost.
measure_publish_rate() {
  mkdir -p "$OUT/cluster"
  start_cluster 0 || return 0
  sleep 1
  local before
  before=$(cluster_sample)
  sleep "$DURATION"
  echo "{\"before\": $before, \"after\": $(cluster_sample)}" >"$OUT/cluster/publish.json"
  stop_cluster
  echo "  cluster publish rate: $(/usr/bin/python3 bench/cluster_summary.py --publish "$OUT/cluster/publish.json")"
}
