#pragma once

#include <chrono>
#include <cstdint>

#include "backplane/backplane.hpp"
#include "source/packet_source.hpp"
#include "util/net.hpp"

namespace arraycast {

// The clock of the stream: every interval it takes arrays from the source,
// stamps seq and ts, serializes the packet once, and publishes the frame.
// Runs on its own strand; all members are touched only there.
class stream {
public:
  stream(net::io_context& ioc, packet_source& source, backplane& out, std::chrono::microseconds interval);
  void start();
  void stop();

private:
  void do_tick();
  void on_tick(beast::error_code ec);
  void publish_next();

  packet_source& source_;
  backplane& out_;
  const std::chrono::microseconds interval_;
  net::steady_timer timer_;
  std::chrono::steady_clock::time_point next_;  // absolute schedule: no drift
  std::uint64_t seq_ = 0;
};

}  // namespace arraycast
