#!/usr/bin/env bash
# Several nodes sharing one stream, on this machine: a NATS JetStream broker
# (nats-server -js on loopback, its store in a temporary directory), a producing
# node, a standby and two relay nodes, on consecutive ports from PORT. Prints
# each node's URL and the commands for recorders that fail over between them,
# then runs until Ctrl-C, and stops everything it started, by PID.
#
#   scripts/cluster.sh                          broker on 7000, nodes on 7001 to 7004
#   PORT=8000 scripts/cluster.sh --interval 100ms   serve flags for the producer and the standby
#
# Logs: in the temporary directory it prints (removed at exit).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-7000}
BIN=$PWD/build/release/src/arraycast
HOST=127.0.0.1
STREAM=${STREAM:-cluster}

if [ ! -x "$BIN" ]; then
  scripts/deps.sh
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
  cmake --preset release >/dev/null
  cmake --build --preset release --target arraycast
fi
command -v nats-server >/dev/null || scripts/deps.sh

DIR=$(mktemp -d "${TMPDIR:-/tmp}/arraycast-cluster.XXXXXX")
PIDS=()  # every process started here, in start order

# Nodes first, the broker last: a node that loses its broker while it stops waits for it.
stop_all() {
  trap - EXIT INT TERM
  local i pid
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    pid=${PIDS[i]}
    kill -INT "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$DIR"
  echo "cluster stopped"
}
trap stop_all EXIT
trap 'exit 130' INT TERM  # exit runs stop_all once

# wait_for LOG TEXT NAME: until the log holds TEXT, or the process that writes it is gone.
wait_for() {
  local log=$1 text=$2 name=$3 pid=${PIDS[-1]}
  for _ in $(seq 100); do
    grep -q "$text" "$log" && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "$name did not start:" >&2
  tail -20 "$log" >&2
  exit 1
}

# node NAME PORT [serve flags...]: starts one node of the stream on that port.
node() {
  local name=$1 port=$2
  shift 2
  "$BIN" serve --host "$HOST" --port "$port" --broker "nats://$HOST:$PORT" --broker-stream "$STREAM" \
    --log-level warn "$@" >"$DIR/$name.log" 2>&1 &
  PIDS+=($!)
  wait_for "$DIR/$name.log" "streaming on ws://" "$name (port $port)"
  printf '  %-9s ws://%s:%s/   pid %s\n' "$name" "$HOST" "$port" "$!"
}

echo "logs in $DIR"
# In a session of its own, so that Ctrl-C in the terminal reaches the nodes but not the broker.
setsid nats-server -js -a "$HOST" -p "$PORT" -sd "$DIR/store" >"$DIR/broker.log" 2>&1 &
PIDS+=($!)
wait_for "$DIR/broker.log" "Server is ready" "nats-server (port $PORT)"
printf '  %-9s nats://%s:%s   pid %s\n' broker "$HOST" "$PORT" "$!"
node producer $((PORT + 1)) "$@"
node standby $((PORT + 2)) --standby "$@"
node relay1 $((PORT + 3)) --relay
node relay2 $((PORT + 4)) --relay

urls=$(for p in 1 2 3 4; do printf 'ws://%s:%s/,' "$HOST" $((PORT + p)); done)
urls=${urls%,}
cat <<MSG

Record with failover (each recorder tries the next URL when its node goes away):
  $BIN record --url $urls --name alice
  $BIN record --url ${urls#*,},${urls%%,*} --name bob --out bob.jsonl
Try: kill -9 the producer (the standby takes over) or a relay (its recorders move on).
Metrics: http://$HOST:$((PORT + 1))/metrics (arraycast_broker_*), health: /healthz.
Stop with Ctrl-C.
MSG
while true; do wait || true; sleep 1; done
