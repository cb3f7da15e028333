#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <thread>

#include "server/broker_producer.hpp"
#include "backplane/nats_link.hpp"

namespace arraycast {

// Who produces the stream. Every node with a source listens for the active
// producer's heartbeats; when none came for takeover_after while the broker
// was reachable, and this node is not producing, it takes the stream over:
// its producer continues after the stream's newest seq. The stream's
// expected-last-sequence check settles a race between two nodes that both
// decide to: one stores its packet, the other steps down.
class standby_watch {
public:
  // `standby`: wait for silence before producing; otherwise produce at once.
  // `taken_over` runs (on the watch's thread) each time this node becomes
  // the producer.
  standby_watch(nats_link& link, broker_producer& producer, bool standby, std::function<void()> taken_over);
  ~standby_watch();
  standby_watch(const standby_watch&) = delete;
  standby_watch& operator=(const standby_watch&) = delete;

private:
  static constexpr auto check_every = std::chrono::milliseconds(100);
  using clock = std::chrono::steady_clock;

  static void heard(natsConnection*, natsSubscription*, natsMsg* msg, void* self);
  void run(std::stop_token stop);
  bool producer_silent();
  void take_over();

  nats_link& link_;
  broker_producer& producer_;
  std::function<void()> taken_over_;
  std::atomic<clock::rep> last_heard_;  // another producer's last heartbeat (or the watch's start)
  std::uint64_t reconnections_ = 0;      // watch thread only: link_.reconnections() last seen
  natsSubscription* sub_ = nullptr;
  std::jthread watch_;                   // last: stops and joins before the rest goes
};

}  // namespace arraycast
