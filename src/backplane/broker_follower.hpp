#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <thread>

#include "backplane/nats_link.hpp"
#include "backplane/stream_reader.hpp"
#include "core/frame.hpp"
#include "core/log_budget.hpp"
#include "core/protocol.hpp"
#include "backplane/broker_metrics.hpp"

namespace arraycast {

// Reads the broker's stream into this node's hub, from its own thread:
// every message becomes one frame, encoded once, with the seq the stream
// gave it, so the same packet has the same seq on every node. A seq at or
// below the node's head is a redelivery and is skipped; one beyond head + 1
// means the stream no longer holds what lies between, which clients get as a
// gap. When the broker is lost it retries, and resumes at head + 1: clients
// see no hole for anything the stream kept.
class broker_follower {
public:
  using deliver_fn = std::function<void(const frame_ptr&)>;
  using describe_fn = std::function<void(const protocol::stream_info&)>;

  // `head`: the seq after which this node starts reading. `deliver` gets
  // each frame in seq order; `describe` each new stream_info the producer
  // announces. Both run on the follower's thread.
  broker_follower(nats_link& link, broker_metrics& metrics, std::uint64_t head, deliver_fn deliver,
                  describe_fn describe);
  ~broker_follower();
  broker_follower(const broker_follower&) = delete;
  broker_follower& operator=(const broker_follower&) = delete;

private:
  static constexpr auto poll = std::chrono::milliseconds(200);        // how soon stop() is noticed
  static constexpr auto resubscribe_after = std::chrono::milliseconds(250);

  void run(std::stop_token stop);
  bool ensure_open(stream_reader& reader);
  void take(const stream_message& m);
  void reject(std::uint64_t seq, const std::string& why);

  nats_link& link_;
  broker_metrics& metrics_;
  deliver_fn deliver_;
  describe_fn describe_;
  // Follower thread only:
  std::uint64_t head_;
  std::string info_;     // the last stream_info header seen
  log_budget rejections_{10, std::chrono::minutes(1)};
  std::jthread reader_;  // last: stops and joins before the rest goes
};

}  // namespace arraycast
