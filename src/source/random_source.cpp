#include "source/random_source.hpp"

#include <algorithm>

namespace arraycast {

random_source::random_source(net::io_context& ioc, random_params params, std::uint64_t seed,
                             std::chrono::microseconds interval)
    : arrays_(params, seed), interval_(interval), timer_(net::make_strand(ioc)) {}

protocol::stream_info random_source::describe() const {
  const auto& p = arrays_.params();
  return {"random", interval_.count(), protocol::random_shape{p.arrays, p.length, p.min, p.max}};
}

void random_source::start(packet_sink& out) {
  out_ = &out;
  net::dispatch(timer_.get_executor(), [this] {
    if (interval_.count() == 0) return do_free_run();
    next_ = std::chrono::steady_clock::now() + interval_;
    do_tick();
  });
}

void random_source::stop() {
  net::post(timer_.get_executor(), [this] {
    stopped_ = true;
    timer_.cancel();
  });
}

void random_source::push_next() { out_->push({arrays_.arrays_for(++n_), std::nullopt, {}}); }

void random_source::do_tick() {
  timer_.expires_at(next_);
  timer_.async_wait([this](beast::error_code ec) { on_tick(ec); });
}

void random_source::on_tick(beast::error_code ec) {
  if (ec || stopped_) return;
  push_next();
  next_ += interval_;
  // A late timer wake-up is caught up, so that a fast rate holds on a busy
  // machine; after a real stall (suspended process), the missed ticks are
  // skipped rather than sent in a burst.
  const auto now = std::chrono::steady_clock::now();
  if (now - next_ > std::max<std::chrono::steady_clock::duration>(interval_, max_catch_up)) next_ = now + interval_;
  do_tick();
}

// Free-running: the next packet once the stream has room for it.
void random_source::do_free_run() {
  if (stopped_) return;
  push_next();
  out_->when_ready([this] { net::dispatch(timer_.get_executor(), [this] { do_free_run(); }); });
}

}  // namespace arraycast
