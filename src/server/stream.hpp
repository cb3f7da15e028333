#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>

#include "backplane/backplane.hpp"
#include "source/packet_source.hpp"
#include "util/net.hpp"

namespace arraycast {

// The clock of the stream: every interval it takes arrays from the source,
// stamps seq and ts, serializes the packet once, and publishes the frame.
// Runs on its own strand; all members are touched only there.
//
// An interval of 0 means free-running: publish as fast as the sessions take
// the frames. Flow control uses the frames' reference counts: a frame is
// held by each session that has not finished writing it, by the history and
// by this stream. Up to `window` frames may be in flight; the next one waits
// until the oldest is down to the holders it keeps at rest (written
// everywhere): this stream, and the history while it still holds the frame.
// A session that holds it for longer than `stall_limit` is left behind: the
// stream moves on, that session's queue grows, and max_queue closes it as
// slow (1013) like any other slow consumer. With no clients at all, it runs
// at the speed of the source and the encoder, on one core.
class stream {
public:
  // `history`: how many of the newest frames the hub's history holds.
  stream(net::io_context& ioc, packet_source& source, backplane& out, std::chrono::microseconds interval,
         std::size_t history);
  void start();
  void stop();

private:
  // How far behind schedule the timer may fall and still catch up.
  static constexpr auto max_catch_up = std::chrono::milliseconds(100);
  // Free-running frames in flight, and how long to wait for the slowest.
  static constexpr std::size_t window = 32;              // well under the default max_queue (256)
  static constexpr auto stall_limit = std::chrono::milliseconds(50);
  static constexpr auto drain_poll = std::chrono::microseconds(200);

  void do_tick();
  void on_tick(beast::error_code ec);
  void do_run();
  void on_run(beast::error_code ec);
  frame_ptr publish_next();
  bool written_everywhere(const frame_ptr& f) const;

  packet_source& source_;
  backplane& out_;
  const std::chrono::microseconds interval_;
  const std::size_t history_;
  net::steady_timer timer_;
  std::chrono::steady_clock::time_point next_;  // absolute schedule: no drift
  std::uint64_t seq_ = 0;
  bool stopped_ = false;
  std::deque<frame_ptr> in_flight_;                      // free-running only, oldest first
  std::chrono::steady_clock::time_point waiting_since_;  // the window has been full since
  bool waiting_ = false;
};

}  // namespace arraycast
