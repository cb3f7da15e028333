#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include "loadgen/load_worker.hpp"
#include "loadgen/report.hpp"

namespace arraycast {

// Folds what every client of every (joined) worker counted into the report:
// connections, packets, integrity, latency and connect percentiles.
void summarize_clients(const std::vector<std::unique_ptr<load_worker>>& workers, bench_report& r);

// Who came back after the server was killed at `kill`, how fast, and what
// of the killed epoch went down with it (see storm_summary).
void summarize_storm(const std::vector<std::unique_ptr<load_worker>>& workers,
                     std::chrono::steady_clock::time_point kill, storm_summary& s);

}  // namespace arraycast
