#include "server/stream.hpp"

#include "core/clock.hpp"
#include "core/protocol.hpp"

namespace arraycast {

stream::stream(net::io_context& ioc, packet_source& source, backplane& out, std::chrono::microseconds interval)
    : source_(source), out_(out), interval_(interval), timer_(net::make_strand(ioc)) {}

void stream::start() {
  net::dispatch(timer_.get_executor(), [this] {
    next_ = std::chrono::steady_clock::now() + interval_;
    do_tick();
  });
}

void stream::stop() {
  net::post(timer_.get_executor(), [this] { timer_.cancel(); });
}

void stream::do_tick() {
  timer_.expires_at(next_);
  timer_.async_wait([this](beast::error_code ec) { on_tick(ec); });
}

void stream::on_tick(beast::error_code ec) {
  if (ec) return;
  publish_next();
  next_ += interval_;
  // After a stall (suspended process), skip the missed ticks rather than burst.
  const auto now = std::chrono::steady_clock::now();
  if (next_ < now) next_ = now + interval_;
  do_tick();
}

void stream::publish_next() {
  ++seq_;
  packet p{seq_, now_us(), source_.arrays_for(seq_)};
  out_.publish(std::make_shared<const frame>(frame{p.seq, p.ts, p.arrays.size(), protocol::encode(p)}));
}

}  // namespace arraycast
