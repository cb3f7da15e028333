#!/usr/bin/env bash
# Builds arraycast (Release) and runs the server on its default stream.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake --preset release >/dev/null
cmake --build --preset release
cat <<'MSG'

Server starting. In another terminal, record the stream with:
  ./build/release/src/arraycast record --name client1
  ./build/release/src/arraycast record --name client2 --out client2.jsonl
Stop with Ctrl-C.

MSG
exec ./build/release/src/arraycast serve "$@"
