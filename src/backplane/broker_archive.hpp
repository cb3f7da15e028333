#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>

#include "backplane/archive.hpp"
#include "backplane/nats_link.hpp"
#include "backplane/broker_metrics.hpp"

namespace arraycast {

// The broker's stream as an archive: one thread reads each requested range
// back through its own ordered consumer, in the order asked. A range longer
// than max_packets is cut to its newest part; the rest is a gap, so one
// client cannot make the node hold the whole stream in memory.
class broker_archive final : public archive {
public:
  broker_archive(nats_link& link, broker_metrics& metrics);
  ~broker_archive() override;
  broker_archive(const broker_archive&) = delete;
  broker_archive& operator=(const broker_archive&) = delete;

  void fetch(std::uint64_t from, std::uint64_t to, done_fn done) override;

  static constexpr std::uint64_t max_packets = 100'000;
  // A range the broker stops sending for this long is given up on (the
  // broker is gone, or the range was deleted meanwhile): the rest is a gap.
  static constexpr auto patience = std::chrono::seconds(2);

private:
  struct request {
    std::uint64_t from, to;
    done_fn done;
  };
  void run(std::stop_token stop);
  std::vector<frame_ptr> read(const request& r);

  nats_link& link_;
  broker_metrics& metrics_;
  // This mutex synchronizes requests_.
  std::mutex mutex_;
  std::condition_variable_any wake_;
  std::deque<request> requests_;
  std::jthread reader_;  // last: stops and joins before the rest goes
};

}  // namespace arraycast
