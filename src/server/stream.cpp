#include "server/stream.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "core/binary_packet.hpp"
#include "core/clock.hpp"
#include "core/protocol.hpp"

namespace arraycast {

stream::stream(net::io_context& ioc, backplane& out, server_metrics& metrics, std::size_t history)
    : strand_(net::make_strand(ioc)),
      out_(out),
      metrics_(metrics),
      rejections_(metrics),
      history_(history),
      source_wait_{net::steady_timer(strand_), window - 1, stall_limit, {}, false},
      drain_wait_{net::steady_timer(strand_), 0, drain_limit, {}, false},
      ack_timer_(strand_) {}

void stream::push(source_packet p) {
  net::post(strand_, [this, p = std::move(p)]() mutable { publish(std::move(p)); });
}

void stream::publish(source_packet p) {
  packet m{++seq_, p.ts.value_or(now_us()), std::move(p.arrays)};
  // Once per encoding, never per client: sessions pick one of the two.
  auto f = make_frame(m.seq, m.ts, m.arrays.size(), protocol::encode(m), protocol::encode_binary(m));
  out_.publish(f);
  if (p.on_published) acks_.push_back({f, std::move(p.on_published), std::chrono::steady_clock::now()});
  track(std::move(f));
  settle_acks();
}

// A producer's packet is acknowledged once every live session has written it
// (or is left behind as slow): a server killed after the ack then costs the
// producer nothing, since the clients already hold the packet.
void stream::settle_acks() {
  const auto now = std::chrono::steady_clock::now();
  while (!acks_.empty() && (written_everywhere(acks_.front().f) || now - acks_.front().since >= stall_limit)) {
    const auto done = std::move(acks_.front().done);
    const auto seq = acks_.front().f->seq;
    acks_.pop_front();
    done(seq);
  }
  if (acks_.empty() || settling_) return;
  settling_ = true;
  ack_timer_.expires_after(drain_poll);
  ack_timer_.async_wait([this](beast::error_code ec) {
    settling_ = false;
    if (!ec) settle_acks();
  });
}

// The seqs are used up, so that a client's seq arithmetic stays true, and
// the gap takes their place in history and in every live client's stream.
void stream::lost(std::uint64_t count, std::string reason) {
  if (count == 0) return;
  server_metrics::bump(metrics_.source_lost, count);
  net::post(strand_, [this, count, reason = std::move(reason)] {
    const protocol::gap g{seq_ + 1, seq_ + count, reason};
    seq_ += count;
    auto f = make_gap_frame(g.from, g.to.value_or(g.from), protocol::encode(g));
    out_.publish(f);
    track(std::move(f));
  });
}

void stream::rejected(reject_reason reason, std::string_view detail) { rejections_.record(reason, detail); }

void stream::ended() {
  if (metrics_.source_ended.exchange(true)) return;
  spdlog::info("source ended; serving history and new clients");
  net::post(strand_, [this] {
    if (on_ended_) on_ended_();
  });
}

void stream::when_ready(std::function<void()> next) {
  net::post(strand_,
            [this, next = std::move(next)]() mutable { wait_for_room(source_wait_, std::move(next)); });
}

void stream::when_drained(std::function<void()> done) {
  net::post(strand_, [this, done = std::move(done)]() mutable { wait_for_room(drain_wait_, std::move(done)); });
}

// Waits (polling) until at most `w.room` frames are in flight, then runs
// `next`; a frame still held after `w.patience` is given up on.
void stream::wait_for_room(room_wait& w, std::function<void()> next) {
  while (!in_flight_.empty() && written_everywhere(in_flight_.front())) in_flight_.pop_front();
  if (in_flight_.size() > w.room) {
    const auto now = std::chrono::steady_clock::now();
    if (!w.waiting) w.since = now;
    w.waiting = true;
    if (now - w.since < w.patience) {
      w.timer.expires_after(drain_poll);
      return w.timer.async_wait([this, &w, next = std::move(next)](beast::error_code ec) mutable {
        if (!ec) wait_for_room(w, std::move(next));
      });
    }
    in_flight_.pop_front();  // its stragglers are left to max_queue
    return net::post(strand_, [this, &w, next = std::move(next)]() mutable { wait_for_room(w, std::move(next)); });
  }
  w.waiting = false;
  // Posted, not called: the sessions' handlers run between packets.
  net::post(strand_, std::move(next));
}

// Keeps the newest frames for flow control; with nobody waiting, the oldest
// simply fall out.
void stream::track(frame_ptr f) {
  if (in_flight_.size() == window) in_flight_.pop_front();
  in_flight_.push_back(std::move(f));
}

// A history shorter than the window has already let the oldest frames go:
// counting it as a holder there would leave the slowest session behind.
bool stream::written_everywhere(const frame_ptr& f) const {
  const bool in_history = seq_ - f->seq < history_;
  return f.use_count() <= own_refs(f) + (in_history ? 1 : 0);
}

// The references this stream holds on `f`: in in_flight_ and in acks_, both
// in seq order.
long stream::own_refs(const frame_ptr& f) const {
  const auto seq_below = [](const auto& held, std::uint64_t seq) { return held->seq < seq; };
  const auto flight = std::lower_bound(in_flight_.begin(), in_flight_.end(), f->seq, seq_below);
  const auto acked = std::lower_bound(acks_.begin(), acks_.end(), f->seq,
                                      [](const pending_ack& a, std::uint64_t seq) { return a.f->seq < seq; });
  return (flight != in_flight_.end() && *flight == f ? 1 : 0) + (acked != acks_.end() && acked->f == f ? 1 : 0);
}

}  // namespace arraycast
