#!/usr/bin/env bash
# The benchmark suite: every scenario of issue 6 against arraycast and, in the
# same run on the same machine, the alternatives (minimal Boost.Beast server,
# Node.js ws, Python websockets). Not part of the test command. Bounded: every
# server and load generator is started here, by PID, and stopped here.
#
#   bench/run.sh                      all scenarios, 3 runs each where it says so
#   RUNS=1 DURATION=3s bench/run.sh   quicker
#   SCENARIOS="throughput latency" bench/run.sh
#   SCENARIOS="storm growth" RUNS=3 bench/run.sh   scenarios 4 and 5
#   SCENARIOS=acks SERVER_BIN=/path/to/other/arraycast bench/run.sh   scenario 2 with acks, another server build
#   SCENARIOS=cluster RUNS=1 bench/run.sh   a producer and 3 relays through nats-server -js against one node
#   SCENARIOS=tls bench/run.sh      scenario 1, idle clients and handshakes over TLS against plain text
#
# Results: build/bench/results/<time>/<scenario>/<server>.<run>.json, a
# summary.md beside them, and the plots in docs/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

RUNS=${RUNS:-3}
DURATION=${DURATION:-5s}
SCENARIOS=${SCENARIOS:-"throughput latency acks connections storm growth"}
# arraycast-binary: the same server, its clients asking for binary packets (scenarios 1 and 2)
SERVERS=${SERVERS:-"arraycast arraycast-binary beast node python"}
CONNECTIONS=${CONNECTIONS:-19000}          # scenario 3, split over processes of at most 4,750 clients
CONNECTION_SERVERS=${CONNECTION_SERVERS:-"arraycast beast"}
STORM_CLIENTS=${STORM_CLIENTS:-5000}       # scenario 4
STORM_SERVERS=${STORM_SERVERS:-arraycast}  # the others have no resume: nothing to catch up, not comparable
STORM_DURATION=${STORM_DURATION:-15s}      # window; the server is killed KILL_AFTER into it
KILL_AFTER=${KILL_AFTER:-3s}
GROWTH=${GROWTH:-"10 100 1000 10000"}
GROWTH_INTERVAL_US=${GROWTH_INTERVAL_US:-100000}  # scenario 5: every size at the same 10 packets/s
CLUSTER_CLIENTS=${CLUSTER_CLIENTS:-300}    # cluster: clients on each of the 3 relays; the single node gets all of them
CLUSTER_INTERVAL_US=${CLUSTER_INTERVAL_US:-10000}  # cluster: 100 packets/s
TLS_IDLE=${TLS_IDLE:-4000}                 # tls: idle clients, for memory per connection
TLS_HANDSHAKES=${TLS_HANDSHAKES:-2000}     # tls: clients connecting all at once, for handshakes per second
OUT=${OUT:-$ROOT/build/bench/results/$(date +%Y%m%d-%H%M%S)}
TLS_DIR=$OUT/tls-pair

scripts/deps.sh
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then  # a machine may bring its own Node.js
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm
fi
cmake --preset bench >/dev/null
cmake --build --preset bench --target arraycast beast_server micro_bench
(cd bench && npm ci --no-audit --no-fund --silent)

BIN=$ROOT/build/bench/src/arraycast
SERVER_BIN=${SERVER_BIN:-$BIN}  # the arraycast that serves; the load generator is always $BIN
BEAST=$ROOT/build/bench/bench/servers/beast_server
mkdir -p "$OUT"
echo "results in $OUT"
{ nproc; free -g | sed -n 2p; uname -r; g++ --version | head -1; node --version; /usr/bin/python3 --version
  /usr/bin/python3 -c 'import websockets; print("websockets", websockets.__version__)'
  node -e 'console.log("ws", require("./bench/node_modules/ws/package.json").version)'; uptime; } > "$OUT/machine.txt"

SERVER_PID=""
SERVER_URL=""

# server_command NAME PORT INTERVAL_US: the command line that runs that server (no spaces in paths).
server_command() {
  local name=$1 port=$2 interval_us=$3 seconds
  seconds=$(awk "BEGIN { print $interval_us / 1e6 }")
  case $name in
    arraycast|arraycast-binary) echo "$SERVER_BIN serve --port $port --seed 1 --log-level warn --max-clients 19500 --interval ${interval_us}us" ;;
    # as deployed: receipts logged at the default level and --log-receipts
    arraycast-tls) echo "$SERVER_BIN serve --port $port --seed 1 --log-level warn --max-clients 19500 --interval ${interval_us}us --tls-cert $TLS_DIR/cert.pem --tls-key $TLS_DIR/key.pem" ;;
    arraycast-receipts) echo "$SERVER_BIN serve --port $port --seed 1 --max-clients 19500 --interval ${interval_us}us" ;;
    beast) echo "$BEAST $port $interval_us" ;;
    node) echo "node bench/servers/node_server.js --port $port --interval $seconds" ;;
    python) echo "/usr/bin/python3 bench/servers/python_server.py --port $port --interval $seconds" ;;
  esac
}

free_port() { /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# wait_url LOG: prints the ws:// URL a server wrote to its log once it listens; fails after 10 s.
wait_url() {
  local url
  for _ in $(seq 100); do
    url=$(grep -o 'wss\?://[^ ]*/' "$1" | head -1 || true)
    [ -n "$url" ] && echo "$url" && return 0
    sleep 0.1
  done
  return 1
}

# start_server NAME INTERVAL_US: starts it on a free port; sets SERVER_PID and SERVER_URL.
start_server() {
  local name=$1 interval_us=$2 log="$OUT/server.$1.log" command
  command=$(server_command "$name" 0 "$interval_us")
  : >"$log"  # before the start, or the wait below could read the previous run's URL
  # shellcheck disable=SC2086 # the command is split into words on purpose
  $command >"$log" 2>&1 &
  SERVER_PID=$!
  SERVER_URL=$(wait_url "$log") && return 0
  echo "$name did not start: $(cat "$log")" >&2
  stop_server
  return 1
}

# stop_pid PID: SIGINT, 5 s to exit, then SIGKILL.
stop_pid() {
  kill -INT "$1" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

stop_server() {
  [ -z "$SERVER_PID" ] && return 0
  stop_pid "$SERVER_PID"
  SERVER_PID=""
}

BROKER_PID=""
NODE_PIDS=()  # the cluster scenario's nodes, the producer first
NODE_URLS=()
# shellcheck source=bench/cluster_scenario.sh
. bench/cluster_scenario.sh
trap 'stop_server; stop_cluster' EXIT

# make_tls_pair: a self-signed certificate for 127.0.0.1, in $TLS_DIR.
make_tls_pair() {
  mkdir -p "$TLS_DIR"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$TLS_DIR/key.pem" \
    -out "$TLS_DIR/cert.pem" -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
}

# measure SCENARIO SERVER RUN INTERVAL_US CLIENTS [bench flags...]
measure() {
  local scenario=$1 server=$2 run=$3 interval_us=$4 clients=$5 encoding=json
  shift 5
  [ "$server" = arraycast-binary ] && encoding=binary
  [ "$server" = arraycast-tls ] && set -- "$@" --ca "$TLS_DIR/cert.pem"
  mkdir -p "$OUT/$scenario"
  start_server "$server" "$interval_us" || return 0
  sleep 0.3
  "$BIN" bench --url "$SERVER_URL" --clients "$clients" --duration "$DURATION" --server-pid "$SERVER_PID" --json --encoding "$encoding" "$@" \
    >"$OUT/$scenario/$server.$run.json" 2>"$OUT/$scenario/$server.$run.err" || true
  stop_server
  echo "  $scenario $server run $run: $(/usr/bin/python3 bench/summarize.py --brief "$OUT/$scenario/$server.$run.json")"
}

for scenario in $SCENARIOS; do
  echo "== $scenario"
  case $scenario in
    throughput)   # 1: 100 clients, the source as fast as it can go, 5 arrays of 10 values
      for run in $(seq "$RUNS"); do for s in $SERVERS; do measure throughput "$s" "$run" 0 100; done; done ;;
    latency)      # 2: 1,000 clients x 100 packets/s
      for run in $(seq "$RUNS"); do for s in $SERVERS; do measure latency "$s" "$run" 10000 1000 --connect-rate 2000; done; done ;;
    acks)         # 2 with acks: 1,000 clients x 100 packets/s, without and with an ack for every packet,
                  # the server at its default log level; its log's size is recorded beside each result
      for run in $(seq "$RUNS"); do for ack in no-ack ack; do
        flags=(--connect-rate 2000)
        [ "$ack" = ack ] && flags+=(--ack)
        measure "acks/$ack" arraycast-receipts "$run" 10000 1000 "${flags[@]}"
        wc -c <"$OUT/server.arraycast-receipts.log" >"$OUT/acks/$ack/arraycast-receipts.$run.log-bytes"
        echo "  server log: $(cat "$OUT/acks/$ack/arraycast-receipts.$run.log-bytes") bytes"
      done; done ;;
    connections)  # 3: many clients on the default stream (2 s), split over processes (20,000 files each)
      per=4750
      procs=$(( (CONNECTIONS + per - 1) / per ))
      for s in $CONNECTION_SERVERS; do
        mkdir -p "$OUT/connections"
        start_server "$s" 2000000 || continue
        pids=()
        for p in $(seq 0 $((procs - 1))); do
          n=$(( p == procs - 1 ? CONNECTIONS - p * per : per ))
          "$BIN" bench --url "$SERVER_URL" --clients "$n" --first-index $((p * per)) --duration 6s \
            --connect-rate 1000 --connect-timeout 30s --server-pid "$SERVER_PID" --json \
            >"$OUT/connections/$s.part$p.json" 2>"$OUT/connections/$s.part$p.err" &
          pids+=($!)
        done
        for pid in "${pids[@]}"; do wait "$pid" || true; done
        stop_server
        echo "  connections $s: $(/usr/bin/python3 bench/summarize.py --brief "$OUT"/connections/"$s".part*.json)"
      done ;;
    storm)        # 4: STORM_CLIENTS clients on a 100 ms stream; bench SIGKILLs the server and respawns it
      mkdir -p "$OUT/storm"
      for run in $(seq "$RUNS"); do for s in $STORM_SERVERS; do
        port=$(free_port)
        "$BIN" bench --url "ws://127.0.0.1:$port/" --spawn "$(server_command "$s" "$port" 100000)" \
          --clients "$STORM_CLIENTS" --duration "$STORM_DURATION" --kill-after "$KILL_AFTER" \
          --connect-rate 2000 --connect-timeout 30s --json \
          >"$OUT/storm/$s.$run.json" 2>"$OUT/storm/$s.$run.err" || true
        echo "  storm $s run $run: $(/usr/bin/python3 bench/summarize.py --brief "$OUT/storm/$s.$run.json")"
      done; done ;;
    cluster)      # issue 12: 3 x CLUSTER_CLIENTS on one node, then spread over 3 relays of a producer through
                  # nats-server -js, same rate; then the producer free-running into the broker
      for run in $(seq "$RUNS"); do measure_single "$run"; measure_cluster "$run"; done
      measure_publish_rate ;;
    tls)          # issue 13: scenario 1, idle clients (memory) and a connection burst (handshakes/s),
                  # each over TLS against plain text, interleaved
      make_tls_pair
      for run in $(seq "$RUNS"); do for s in arraycast arraycast-tls; do
        measure tls/throughput "$s" "$run" 0 100
        measure tls/idle "$s" "$run" 2000000 "$TLS_IDLE" --connect-rate 2000 --connect-timeout 30s
        measure tls/handshakes "$s" "$run" 2000000 "$TLS_HANDSHAKES" --connect-rate 1000000 --connect-timeout 30s
      done; done ;;
    growth)       # 5: throughput and memory at 10 ... 10,000 clients, all at the same fixed packet rate
      for run in $(seq "$RUNS"); do for n in $GROWTH; do for s in $SERVERS; do
        [ "$s" = arraycast-binary ] && continue
        measure "growth/$n" "$s" "$run" "$GROWTH_INTERVAL_US" "$n" --connect-rate 2000 --connect-timeout 30s
      done; done; done ;;
  esac
done

echo "== micro-benchmarks"
"$ROOT/build/bench/bench/micro/micro_bench" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
  >"$OUT/micro.txt" 2>&1 || true
/usr/bin/python3 bench/summarize.py --out "$OUT" --plots docs/bench
echo "summary: $OUT/summary.md"
