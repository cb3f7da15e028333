#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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

// The server's side, from /proc, with --server-pid or --spawn. After a
// storm's respawn: CPU of both processes, memory of the new one.
struct server_usage {
  int pid = 0;                       // the last one
  bool spawned = false;
  double cpu_s = 0;                  // during the window
  std::uint64_t rss_before_kib = 0;  // before the first client connected
  std::uint64_t rss_kib = 0;         // steady: at the end of the window
  std::uint64_t hwm_kib = 0;         // peak over the server's life (both processes' after a respawn)
  double rss_per_client_bytes = 0;   // (rss - rss_before) / connected
};

// A reconnect storm (--kill-after): the spawned server SIGKILLed and
// respawned at kill_at_s into the window. Times are from the kill. A client
// is back once a welcome reached it after the kill, and caught up once it
// then received a packet at or past that welcome's head (seq_tracker).
struct storm_summary {
  double kill_at_s = 0;              // into the window
  double listening_s = 0;            // until the respawned server accepted TCP
  std::size_t back = 0;
  std::size_t not_back = 0;          // connected before, no welcome since the kill
  std::size_t caught_up = 0;
  std::size_t resumed_new_epoch = 0; // resumed with the killed epoch and were told it is over
  double reconnect_p50_s = 0;
  double reconnect_all_s = 0;        // until the last of those back was back
  double caught_up_p50_s = 0;
  double caught_up_all_s = 0;        // until the last of those caught up did
  std::uint64_t killed_tail = 0;     // packets of the killed epoch some client had and another did not
};

// How the clients spread over one --url.
struct url_share {
  std::string url;
  std::size_t started = 0;           // clients that started on it (client k on URL k mod n)
  std::size_t up_at_end = 0;         // clients connected to it at the end of the window
};

// Everything one `arraycast bench` run measured. Rates are over the window,
// which begins once every client has connected or failed.
struct bench_report {
  std::string url;                   // every --url, comma-separated
  std::vector<url_share> per_url;    // in --url order
  std::size_t clients = 0;
  unsigned threads = 0;
  double window_s = 0;

  std::size_t connected = 0;
  std::size_t failed = 0;            // never connected
  std::size_t lost = 0;              // connected, then dropped at least once
  std::size_t down_at_end = 0;       // of those, not connected again by the end
  std::uint64_t reconnects = 0;      // successful reconnections, all clients
  std::string first_error;
  double connect_all_s = 0;          // first connect started to last one settled
  std::int64_t connect_p50_us = 0;
  std::int64_t connect_max_us = 0;

  std::uint64_t packets = 0;         // received in the window, all clients
  std::uint64_t bytes = 0;           // payload bytes, likewise
  spread client_packets;             // per client, in the window
  std::size_t clients_without_packets = 0;
  std::uint64_t missing = 0;         // whole run, all clients
  std::uint64_t duplicates = 0;      // whole run: seq at or below the last of its epoch
  std::size_t clients_with_loss = 0; // missing or duplicates

  latency_summary latency;
  double bench_cpu_s = 0;            // this process, during the window
  std::optional<server_usage> server;
  std::optional<storm_summary> storm;

  double packets_per_s() const { return window_s > 0 ? static_cast<double>(packets) / window_s : 0; }
  double bytes_per_s() const { return window_s > 0 ? static_cast<double>(bytes) / window_s : 0; }
};

std::string to_json(const bench_report& r);
std::string to_text(const bench_report& r);

}  // namespace arraycast
