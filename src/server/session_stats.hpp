#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <utility>

#include "server/metrics.hpp"

namespace arraycast {

// What /clients and /metrics show of one session. The session writes it on
// its loop; the hub's registry reads it from any thread. It lives apart from
// the session so that a scrape never holds a session: a session is created,
// and destroyed, on its own loop only.
class session_stats {
public:
  session_stats(std::string address, std::int64_t connected_since)
      : address_(std::move(address)), connected_since_(connected_since) {}

  void set_name(std::string name) {
    std::lock_guard lock(name_mutex_);
    name_ = std::move(name);
  }
  void acked(std::uint64_t seq, std::int64_t at) {
    if (seq > last_acked_.load(std::memory_order_relaxed)) last_acked_.store(seq, std::memory_order_relaxed);
    last_ack_at_.store(at, std::memory_order_relaxed);
  }
  void set_queued(std::size_t n) { queued_.store(n, std::memory_order_relaxed); }

  // Lag is left to the hub, which knows where the client started.
  client_info info() const {
    client_info i;
    {
      std::lock_guard lock(name_mutex_);
      i.name = name_;
    }
    i.address = address_;
    i.connected_since = connected_since_;
    i.last_acked = last_acked_.load(std::memory_order_relaxed);
    i.last_ack_at = last_ack_at_.load(std::memory_order_relaxed);
    i.queued = queued_.load(std::memory_order_relaxed);
    return i;
  }

private:
  const std::string address_;          // "ip:port"
  const std::int64_t connected_since_;  // µs since the Unix epoch

  mutable std::mutex name_mutex_;      // guards name_ (written once, on hello)
  std::string name_;

  // Atomics, relaxed: each value stands alone. Written by one loop only.
  std::atomic<std::uint64_t> last_acked_{0};
  std::atomic<std::int64_t> last_ack_at_{0};
  std::atomic<std::size_t> queued_{0};
};

}  // namespace arraycast
