#!/usr/bin/env bash
# Installs what the tests need, then builds and runs every test: unit and
# end-to-end in Release, again under ASan+UBSan and TSan, and a bounded fuzz run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
# npm packages from the committed locks: esbuild and uPlot for the dashboard
# (web/), ws and playwright-core for the interop tests (tests/interop/).
for dir in web tests/interop; do
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
done

run_preset() {
  echo "=== $1: build and test ==="
  cmake --preset "$1" >/dev/null
  cmake --build --preset "$1"
  ctest --preset "$1" --output-on-failure -j2 ${2:+-E "$2"}
}

run_preset release
# The sanitizers run every group once: the same groups again with 1 and 4
# event loops (e2e.*.threadsN) are for the release build, where they are cheap.
run_preset asan 'e2e\..*\.threads[0-9]+$'
run_preset tsan 'e2e\..*\.threads[0-9]+$'


echo "=== fuzz: protocol decoders, bounded ==="
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target fuzz_decode_client fuzz_decode_binary fuzz_token
mkdir -p build/fuzz/corpus build/fuzz/corpus_binary build/fuzz/corpus_token
build/fuzz/tests/fuzz/fuzz_decode_client -max_total_time=30 -max_len=4096 build/fuzz/corpus tests/fuzz/seeds
build/fuzz/tests/fuzz/fuzz_decode_binary -max_total_time=30 -max_len=4096 build/fuzz/corpus_binary tests/fuzz/seeds_binary
build/fuzz/tests/fuzz/fuzz_token -max_total_time=20 -max_len=4096 build/fuzz/corpus_token tests/fuzz/seeds_token
echo "all tests passed"
