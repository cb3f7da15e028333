#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include <vector>

#include "backplane/archive.hpp"
#include "core/history.hpp"
#include "core/packet_stamps.hpp"
#include "core/protocol.hpp"
#include "server/metrics.hpp"
#include "server/session_stats.hpp"
#include "util/net.hpp"

namespace arraycast {

class ws_session;

// The registry of sessions, the history of the stream and the server's
// counters. It never does I/O: a broadcast posts the frame once to each event
// loop, and there each live session of that loop queues it.
class hub {
public:
  // `loops`: every event loop a session may run on (see loop_pool).
  hub(protocol::welcome base, std::size_t max_clients, std::vector<net::io_context*> loops);

  // Admission, before the WebSocket upgrade. Every admitted session calls
  // leave() from its destructor, so the count is the number alive.
  bool try_admit();
  void join(const std::shared_ptr<ws_session>& s);
  void leave(const ws_session* s);

  // The welcome for a new connection: stream parameters and current head.
  protocol::welcome welcome() const;
  // Where resumes that reach past the history are served from, if anywhere.
  // Set before clients connect.
  void set_archive(archive* a) { archive_ = a; }
  archive* archived() const { return archive_; }

  // What the stream is, as its producer tells it (a node of a broker's
  // stream learns it from the stream, not from a source of its own).
  void describe(const protocol::stream_info& info);

  // Starts live delivery to `s` and returns what it must receive first.
  // Called on s's loop. Together with plan.first_live, which the session
  // applies to live frames, the replay ends exactly where live frames begin.
  resume_plan subscribe(const std::shared_ptr<ws_session>& s, const protocol::hello& h);

  // Appends to history and hands `f` to every subscribed session. One
  // producer: frames arrive in seq order and reach each loop in that order.
  void broadcast(const frame_ptr& f);

  // The ts and array count of packet `seq` if it is recent (for receipt
  // logs). Any thread, without the lock: every ack asks.
  std::optional<packet_stamps::stamp> stamp(std::uint64_t seq) const { return stamps_.find(seq); }

  // Posts a close to every session, on its own loop.
  void close_all(std::uint16_t code, const std::string& reason);
  std::size_t clients() const { return admitted_.load(); }

  // For /metrics and /clients: head and every session's info with its lag,
  // read from the sessions' stats, never from the sessions themselves.
  stream_snapshot snapshot() const;

  // Thread-safe: atomics only (see server_metrics).
  server_metrics& metrics() { return metrics_; }

private:
  struct entry {
    std::weak_ptr<ws_session> session;         // locked only on its loop
    net::io_context* loop = nullptr;           // the session's
    std::shared_ptr<const session_stats> stats;
    std::uint64_t joined_at = 0;  // seq its position started from: head at hello, or its resume point
  };

  // The subscribed sessions of one event loop. Only that loop's thread
  // touches `live`; expired entries are swept out during delivery.
  struct shard {
    net::io_context* loop = nullptr;
    std::vector<std::weak_ptr<ws_session>> live;
  };

  resume_plan plan_for(const std::shared_ptr<ws_session>& s, const protocol::hello& h);
  shard& shard_of(ws_session& s);
  static void deliver(shard& sh, const frame_ptr& f);

  protocol::welcome base_;  // its stream info changes under mutex_
  const std::size_t max_clients_;
  archive* archive_ = nullptr;  // written before clients connect, then read-only
  std::atomic<std::size_t> admitted_{0};
  server_metrics metrics_;

  // This mutex synchronizes all access to history_, sessions_ and base_.stream.
  mutable std::mutex mutex_;
  history history_;
  std::unordered_map<const ws_session*, entry> sessions_;

  packet_stamps stamps_;  // written by broadcast() (the one producer), read by any loop: lock-free

  std::vector<std::unique_ptr<shard>> shards_;  // fixed at construction
};

}  // namespace arraycast
