#pragma once

#include "loadgen/bench_config.hpp"
#include "loadgen/report.hpp"

namespace arraycast {

// The composition root of `arraycast bench`: resolves the server, starts one
// worker per thread, waits until every client has connected or failed, then
// measures for cfg.duration and gathers what the workers counted. Shaped
// like Beast's wsload: no shared state between threads on the hot path.
bench_report run_load(const bench_config& cfg);

// Runs it and prints the report (text or JSON) to stdout. Exit code 0 when
// every client connected and stayed connected, 1 otherwise.
int run_bench(const bench_config& cfg);

}  // namespace arraycast
