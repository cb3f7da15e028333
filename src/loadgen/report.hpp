#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace arraycast {

// Spread of one per-client quantity over the clients.
struct spread {
  double min = 0;
  double p50 = 0;
  double max = 0;
};

struct latency_summary {
  std::uint64_t count = 0;
  std::int64_t p50_us = 0;
  std::int64_t p99_us = 0;
  std::int64_t p999_us = 0;
  std::int64_t max_us = 0;
};

// The server's side, from /proc, when --server-pid is given.
struct server_usage {
  int pid = 0;
  double cpu_s = 0;                  // during the window
  std::uint64_t rss_before_kib = 0;  // before the first client connected
  std::uint64_t rss_kib = 0;         // at the end of the window
  std::uint64_t hwm_kib = 0;         // peak over the server's life
  double rss_per_client_bytes = 0;   // (rss - rss_before) / connected
};

// Everything one `arraycast bench` run measured. Rates are over the window,
// which begins once every client has connected or failed.
struct bench_report {
  std::string url;
  std::size_t clients = 0;
  unsigned threads = 0;
  double window_s = 0;

  std::size_t connected = 0;
  std::size_t failed = 0;            // never connected
  std::size_t lost = 0;              // connected, then dropped before the end
  std::string first_error;
  double connect_all_s = 0;          // first connect started to last one settled
  std::int64_t connect_p50_us = 0;
  std::int64_t connect_max_us = 0;

  std::uint64_t packets = 0;         // received in the window, all clients
  std::uint64_t bytes = 0;           // payload bytes, likewise
  spread client_packets;             // per client, in the window
  std::size_t clients_without_packets = 0;
  std::uint64_t missing = 0;         // whole run, all clients
  std::uint64_t out_of_order = 0;
  std::size_t clients_with_loss = 0; // missing or out of order

  latency_summary latency;
  double bench_cpu_s = 0;            // this process, during the window
  std::optional<server_usage> server;

  double packets_per_s() const { return window_s > 0 ? static_cast<double>(packets) / window_s : 0; }
  double bytes_per_s() const { return window_s > 0 ? static_cast<double>(bytes) / window_s : 0; }
};

std::string to_json(const bench_report& r);
std::string to_text(const bench_report& r);

}  // namespace arraycast
