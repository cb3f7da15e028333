#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>

#include "backplane/backplane.hpp"
#include "server/metrics.hpp"
#include "server/rejection_log.hpp"
#include "source/packet_source.hpp"
#include "util/net.hpp"

namespace arraycast {

// The stream's sequence: it takes each packet a source pushes, stamps seq
// (and ts, when the source gave none), serializes it once and publishes the
// frame. Runs on its own strand; all members are touched only there.
//
// A source that waits for when_ready() runs as fast as the sessions take
// the frames. Flow control uses the frames' reference counts: a frame is
// held by each session that has not finished writing it, by the history and
// by this stream. Up to `window` frames may be in flight; the next one waits
// until the oldest is down to the holders it keeps at rest (written
// everywhere): this stream, and the history while it still holds the frame.
// A session that holds it for longer than `stall_limit` is left behind: the
// stream moves on, that session's queue grows, and max_queue closes it as
// slow (1013) like any other slow consumer. With no clients at all, such a
// source runs at the speed of its generator and the encoder, on one core.
class stream final : public packet_sink {
public:
  // `history`: how many of the newest frames the hub's history holds.
  stream(net::io_context& ioc, backplane& out, server_metrics& metrics, std::size_t history);

  void push(source_packet p) override;
  void lost(std::uint64_t count, std::string reason) override;
  void rejected(reject_reason reason, std::string_view detail) override;
  void ended() override;
  void when_ready(std::function<void()> next) override;

  // Called once, on the strand, after the source has ended. Set before the source starts.
  void on_ended(std::function<void()> f) { on_ended_ = std::move(f); }
  // Runs `done` on the stream's strand once every frame published so far is
  // written to every session that was live for it (or left behind as slow).
  void when_drained(std::function<void()> done);

private:
  // Frames in flight, and how long to wait for the slowest.
  static constexpr std::size_t window = 32;  // well under the default max_queue (256)
  static constexpr auto stall_limit = std::chrono::milliseconds(50);
  static constexpr auto drain_poll = std::chrono::microseconds(200);
  // Before --exit-on-eof exits: a recorder slower than the stall limit still
  // gets the end of the stream.
  static constexpr auto drain_limit = std::chrono::milliseconds(5000);

  // One caller's wait for room in the window: the source's (when_ready) and
  // the final drain (when_drained) each have their own, so neither cancels the other.
  struct room_wait {
    net::steady_timer timer;
    const std::size_t room;                      // frames in flight it waits down to
    const std::chrono::milliseconds patience;    // then the oldest is given up on
    std::chrono::steady_clock::time_point since;  // the window has been full since
    bool waiting = false;
  };

  void publish(source_packet p);
  void wait_for_room(room_wait& w, std::function<void()> next);
  bool written_everywhere(const frame_ptr& f) const;
  long own_refs(const frame_ptr& f) const;
  void track(frame_ptr f);
  void settle_acks();

  // A producer's packet whose acknowledgement waits for the sessions' writes.
  struct pending_ack {
    frame_ptr f;
    std::function<void(std::uint64_t seq)> done;
    std::chrono::steady_clock::time_point since;
  };

  net::strand<net::io_context::executor_type> strand_;
  backplane& out_;
  server_metrics& metrics_;
  rejection_log rejections_;
  const std::size_t history_;
  std::uint64_t seq_ = 0;
  std::deque<frame_ptr> in_flight_;  // oldest first, at most `window`
  room_wait source_wait_;
  room_wait drain_wait_;
  std::function<void()> on_ended_;
  std::deque<pending_ack> acks_;  // in seq order
  net::steady_timer ack_timer_;
  bool settling_ = false;         // ack_timer_ is armed
};

}  // namespace arraycast
