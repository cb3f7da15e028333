#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include <nats/nats.h>

#include "backplane/broker_config.hpp"

namespace arraycast {

// What a node learns of the broker's stream when it joins it.
struct stream_facts {
  std::uint64_t epoch = 0;     // the stream's creation time in µs: one per stream, on every node
  std::uint64_t last_seq = 0;  // the newest message's seq (0: none yet)
};

// A node's one connection to NATS and its JetStream context. It reconnects
// on its own, forever, so a broker outage never ends the node; `connected()`
// says where it stands. The library calls its handlers on its own threads.
class nats_link {
public:
  // Throws std::runtime_error when the broker cannot be reached and
  // `cfg.wait` is not set; with it, retries until it can.
  explicit nats_link(const broker_config& cfg);
  ~nats_link();
  nats_link(const nats_link&) = delete;
  nats_link& operator=(const nats_link&) = delete;

  // Creates the stream if it does not exist yet (any node may be first) and
  // returns its facts. Throws std::runtime_error on failure.
  stream_facts join_stream();
  // The stream's newest seq, asked of the broker. Throws on failure.
  std::uint64_t last_seq();

  jsCtx* js() const { return js_; }
  natsConnection* connection() const { return nc_; }
  const broker_config& config() const { return cfg_; }
  bool connected() const { return connected_.load(); }
  // Bumped on every reconnection: subscriptions made before it may be gone
  // with a restarted broker.
  std::uint64_t reconnections() const { return reconnections_.load(); }
  // Called (on a library thread) whenever the connection is lost or back.
  void on_state(std::function<void(bool connected)> f) {
    const std::scoped_lock lock(mutex_);
    on_state_ = std::move(f);
  }

private:
  static void disconnected(natsConnection*, void* self);
  static void reconnected(natsConnection*, void* self);
  void set_state(bool up);
  natsStatus try_connect(natsOptions* opts);

  const broker_config cfg_;
  natsConnection* nc_ = nullptr;
  jsCtx* js_ = nullptr;
  std::atomic<bool> connected_{false};
  std::atomic<std::uint64_t> reconnections_{0};
  std::mutex mutex_;                     // synchronizes on_state_: set by the node, called by the library
  std::function<void(bool)> on_state_;
};

// The library's text for a failed call, with the last error's detail.
std::string nats_error(natsStatus s, jsErrCode js = static_cast<jsErrCode>(0));

}  // namespace arraycast
