#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "backplane/broker_metrics.hpp"
#include "core/reject_reason.hpp"

namespace arraycast {

// Why the server closed a client's connection on its own initiative.
enum class drop_reason : std::size_t { slow, timeout, too_big, bad_messages };
inline constexpr std::array<std::string_view, 4> drop_reason_names{"slow", "timeout", "too_big", "bad_messages"};

// Why an upgrade was refused by a limit on its address (address_limits).
enum class address_refusal : std::size_t { per_ip, rate };
inline constexpr std::array<std::string_view, 2> address_refusal_names{"per_ip", "rate"};

// The server's counters, owned by the hub and bumped by the stage that does
// the counted work: the hub counts packets, sessions count what they send,
// receive and drop, http_session counts refusals, connection_registry
// counts every connection.
// Threading: any thread. Every member is an atomic updated with relaxed
// ordering; a scrape sees each counter exact and monotonic, not a consistent
// cut across counters, which Prometheus does not need.
struct server_metrics {
  std::atomic<std::uint64_t> packets_generated{0};  // frames handed to the hub for fan-out
  std::atomic<std::uint64_t> messages_sent{0};      // WebSocket messages fully written, all types
  std::atomic<std::uint64_t> bytes_sent{0};         // their payload bytes
  std::atomic<std::uint64_t> acks_received{0};
  std::atomic<std::uint64_t> bad_messages{0};       // client messages answered with an error
  std::atomic<std::uint64_t> connections{0};        // WebSocket handshakes completed
  std::atomic<std::uint64_t> refused{0};            // upgrades refused over --max-clients
  std::atomic<std::uint64_t> connections_refused{0};  // TCP connections closed unread over --max-connections
  std::atomic<std::uint64_t> connections_open{0};   // gauge: TCP connections held now, of every kind
  std::array<std::atomic<std::uint64_t>, drop_reason_names.size()> dropped{};
  std::array<std::atomic<std::uint64_t>, reject_reason_names.size()> rejected{};  // source inputs refused
  std::array<std::atomic<std::uint64_t>, address_refusal_names.size()> refused_by_address{};  // upgrades refused
  std::atomic<bool> source_ended{false};
  std::atomic<std::uint64_t> source_lost{0};  // packets lost before they reached us (source_lost_total)
  broker_metrics broker;

  static void bump(std::atomic<std::uint64_t>& counter, std::uint64_t n = 1) {
    counter.fetch_add(n, std::memory_order_relaxed);
  }
  void drop(drop_reason r) { bump(dropped[static_cast<std::size_t>(r)]); }
  void reject(reject_reason r) { bump(rejected[static_cast<std::size_t>(r)]); }
  void refuse(address_refusal r) { bump(refused_by_address[static_cast<std::size_t>(r)]); }
};

// Per-client series in one scrape: the clients with the most lag. A scrape
// stays small at any number of clients, and the series set stays bounded.
inline constexpr std::size_t max_client_series = 100;

// One connected client as /clients and /metrics show it: a snapshot, taken
// without stopping the session.
struct client_info {
  std::string name;                  // from hello; empty until then
  std::string address;               // "ip:port"
  std::int64_t connected_since = 0;  // µs since the Unix epoch
  std::uint64_t last_acked = 0;      // highest seq acked; 0: none yet
  std::int64_t last_ack_at = 0;      // µs since the Unix epoch; 0: none yet
  std::size_t queued = 0;            // messages waiting in its send queue
  std::uint64_t lag = 0;             // packets generated since it joined that it has not acked
};

// What a scrape reads besides the counters.
struct stream_snapshot {
  std::size_t connected = 0;         // admitted connections, handshaking ones included
  std::uint64_t head = 0;            // newest seq
  std::vector<client_info> clients;
};

// The Prometheus text exposition format (version 0.0.4) of everything above.
std::string render_prometheus(const server_metrics& m, const stream_snapshot& s);

}  // namespace arraycast
