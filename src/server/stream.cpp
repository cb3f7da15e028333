#include "server/stream.hpp"

#include <algorithm>

#include "core/binary_packet.hpp"
#include "core/clock.hpp"
#include "core/protocol.hpp"

namespace arraycast {

stream::stream(net::io_context& ioc, packet_source& source, backplane& out, std::chrono::microseconds interval,
               std::size_t history)
    : source_(source), out_(out), interval_(interval), history_(history), timer_(net::make_strand(ioc)) {}

void stream::start() {
  net::dispatch(timer_.get_executor(), [this] {
    if (interval_.count() == 0) return do_run();
    next_ = std::chrono::steady_clock::now() + interval_;
    do_tick();
  });
}

void stream::stop() {
  net::post(timer_.get_executor(), [this] {
    stopped_ = true;
    timer_.cancel();
  });
}

void stream::do_tick() {
  timer_.expires_at(next_);
  timer_.async_wait([this](beast::error_code ec) { on_tick(ec); });
}

void stream::on_tick(beast::error_code ec) {
  if (ec) return;
  publish_next();
  next_ += interval_;
  // A late timer wake-up is caught up, so that a fast rate holds on a busy
  // machine; after a real stall (suspended process), the missed ticks are
  // skipped rather than sent in a burst.
  const auto now = std::chrono::steady_clock::now();
  if (now - next_ > std::max<std::chrono::steady_clock::duration>(interval_, max_catch_up)) next_ = now + interval_;
  do_tick();
}

// Free-running: publish, then yield the strand so that the sessions' handlers
// run between packets; wait (polling) while the window is full.
void stream::do_run() {
  if (stopped_) return;
  while (!in_flight_.empty() && written_everywhere(in_flight_.front())) in_flight_.pop_front();
  if (in_flight_.size() >= window) {
    const auto now = std::chrono::steady_clock::now();
    if (!waiting_) waiting_since_ = now;
    waiting_ = true;
    if (now - waiting_since_ < stall_limit) {
      timer_.expires_after(drain_poll);
      return timer_.async_wait([this](beast::error_code ec) { on_run(ec); });
    }
    in_flight_.pop_front();  // its stragglers are left to max_queue
  }
  waiting_ = false;
  in_flight_.push_back(publish_next());
  net::post(timer_.get_executor(), [this] { do_run(); });
}

void stream::on_run(beast::error_code ec) {
  if (ec) return;
  do_run();
}

// A history shorter than the window has already let the oldest frames go:
// counting it as a holder there would leave the slowest session behind.
bool stream::written_everywhere(const frame_ptr& f) const {
  const bool in_history = seq_ - f->seq < history_;
  return f.use_count() <= 1 + (in_history ? 1 : 0);
}

frame_ptr stream::publish_next() {
  ++seq_;
  packet p{seq_, now_us(), source_.arrays_for(seq_)};
  // Once per encoding, never per client: sessions pick one of the two.
  auto f = make_frame(p.seq, p.ts, p.arrays.size(), protocol::encode(p), protocol::encode_binary(p));
  out_.publish(f);
  return f;
}

}  // namespace arraycast
