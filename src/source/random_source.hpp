#pragma once

#include <chrono>
#include <cstdint>

#include "source/packet_source.hpp"
#include "source/random_arrays.hpp"
#include "util/net.hpp"

namespace arraycast {

// The default source: random_arrays on a timer, one packet per `interval`,
// or, with an interval of 0, as fast as the stream lets it (when_ready).
// Runs on its own strand; all members are touched only there.
class random_source final : public packet_source {
public:
  random_source(net::io_context& ioc, random_params params, std::uint64_t seed, std::chrono::microseconds interval);
  protocol::stream_info describe() const override;
  void start(packet_sink& out) override;
  void stop() override;

private:
  // How far behind schedule the timer may fall and still catch up.
  static constexpr auto max_catch_up = std::chrono::milliseconds(100);

  void do_tick();
  void on_tick(beast::error_code ec);
  void do_free_run();
  void push_next();

  random_arrays arrays_;
  const std::chrono::microseconds interval_;
  net::steady_timer timer_;
  packet_sink* out_ = nullptr;
  std::chrono::steady_clock::time_point next_;  // absolute schedule: no drift
  std::uint64_t n_ = 0;                         // packets made so far
  bool stopped_ = false;
};

}  // namespace arraycast
