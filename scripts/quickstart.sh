#!/usr/bin/env bash
# Builds arraycast (Release) and runs the server on its default stream.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
(cd web && npm ci --no-audit --no-fund --loglevel=error)  # esbuild and uPlot for the dashboard
cmake --preset release >/dev/null
cmake --build --preset release
cat <<'MSG'

Server starting. In another terminal, record the stream with:
  ./build/release/src/arraycast record --name client1
  ./build/release/src/arraycast record --name client2 --out client2.jsonl
Watch it live at http://127.0.0.1:6969/ (metrics: /metrics, clients: /clients).
Stop with Ctrl-C.

MSG
exec ./build/release/src/arraycast serve "$@"
