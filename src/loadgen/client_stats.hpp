#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "loadgen/latency_histogram.hpp"

namespace arraycast {

// An epoch a client left because the server restarted ("new epoch" gap),
// with the last seq it had of it: the tail after that went down with the
// server, and only the other clients can tell how long it was.
struct epoch_end {
  std::uint64_t epoch = 0;
  std::uint64_t last_seq = 0;
};

// What one load client saw. Written only by its worker's thread; read by the
// composition root after that thread has been joined.
struct client_stats {
  using time_point = std::chrono::steady_clock::time_point;

  std::uint64_t packets = 0;          // whole run
  std::uint64_t window_packets = 0;   // during the measured window
  std::uint64_t window_bytes = 0;
  std::uint64_t missing = 0;          // see seq_tracker: holes inside an epoch, and bounded gaps
  std::uint64_t duplicates = 0;       // seq at or below the last one of its epoch (resent or reordered)
  std::uint64_t reconnects = 0;       // connections after the first
  std::vector<epoch_end> ended;       // rare: one per server restart
  std::int64_t connect_us = -1;       // first TCP connect to handshake done; -1: never connected
  time_point welcomed_at{};           // the latest welcome
  time_point caught_up_at{};          // since that welcome: first packet at or past its head; {}: not yet
  bool failed = false;                // could not connect
  bool lost = false;                  // connected, then the connection ended at least once
  bool up = false;                    // connected right now
  std::size_t first_endpoint = 0;     // the --url it started on (index into bench_config::endpoints)
  std::size_t endpoint = 0;           // the --url of its latest connection
  std::string error;                  // why it failed or was lost (the first time)
};

// What the clients of one worker share. Only `settled` is read by another
// thread (the composition root polls it); the rest is worker thread only.
struct worker_tally {
  latency_histogram latency;          // packet ts to receipt, µs, window only
  latency_histogram connect;          // connect + handshake, µs
  bool measuring = false;             // inside the measured window
  std::atomic<std::size_t> settled{0};  // clients connected or failed
};

}  // namespace arraycast
