#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/history.hpp"
#include "core/protocol.hpp"
#include "server/metrics.hpp"

namespace arraycast {

class ws_session;

// The registry of sessions, the history of the stream and the server's
// counters. It never does I/O: it hands frames to sessions, which post them
// to their own strands.
class hub {
public:
  hub(protocol::welcome base, std::size_t max_clients);

  // Admission, before the WebSocket upgrade. Every admitted session calls
  // leave() from its destructor, so the count is the number alive.
  bool try_admit();
  void join(const std::shared_ptr<ws_session>& s);
  void leave(const ws_session* s);

  // The welcome for a new connection: stream parameters and current head.
  protocol::welcome welcome() const;

  // Starts live delivery to `s` and returns what it must receive first.
  // Atomic with broadcast(): the replay ends exactly where live frames begin.
  resume_plan subscribe(const std::shared_ptr<ws_session>& s, const protocol::hello& h);

  // Appends to history and hands `f` to every subscribed session.
  void broadcast(const frame_ptr& f);

  // The frame for `seq` if history still holds it (for receipt logs).
  frame_ptr find(std::uint64_t seq) const;

  void close_all(std::uint16_t code, const std::string& reason);
  std::size_t clients() const { return admitted_.load(); }

  // For /metrics and /clients: head and every session's info with its lag.
  // Sessions are asked outside the lock.
  stream_snapshot snapshot() const;

  // Thread-safe: atomics only (see server_metrics).
  server_metrics& metrics() { return metrics_; }

private:
  struct entry {
    std::weak_ptr<ws_session> session;
    bool live = false;  // subscribed: receives broadcasts
    std::uint64_t joined_at = 0;  // seq its position started from: head at hello, or its resume point
  };

  const protocol::welcome base_;
  const std::size_t max_clients_;
  std::atomic<std::size_t> admitted_{0};
  server_metrics metrics_;

  // This mutex synchronizes all access to history_ and sessions_.
  mutable std::mutex mutex_;
  history history_;
  std::unordered_map<const ws_session*, entry> sessions_;
};

}  // namespace arraycast
