#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>

#include "loadgen/latency_histogram.hpp"

namespace arraycast {

// What one load client saw. Written only by its worker's thread; read by the
// composition root after that thread has been joined.
struct client_stats {
  std::uint64_t packets = 0;          // whole run
  std::uint64_t window_packets = 0;   // during the measured window
  std::uint64_t window_bytes = 0;
  std::uint64_t missing = 0;          // seqs skipped over (sum of gap sizes)
  std::uint64_t out_of_order = 0;     // packets whose seq was not above the last one
  std::uint64_t last_seq = 0;
  std::int64_t connect_us = -1;       // TCP connect to handshake done; -1: never connected
  bool failed = false;                // could not connect
  bool lost = false;                  // connected, then the connection ended before the run did
  std::string error;                  // why it failed or was lost
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
