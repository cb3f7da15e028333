#include "source/replay_source.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace arraycast {

replay_source::replay_source(net::io_context& ioc, std::string path, double speed, bool loop)
    : path_(std::move(path)),
      speed_(speed),
      loop_(loop),
      timer_(net::make_strand(ioc)),
      reader_(std::make_unique<recording_reader>(path_)) {}

protocol::stream_info replay_source::describe() const { return {"replay", 0, std::nullopt}; }

void replay_source::start(packet_sink& out) {
  out_ = &out;
  net::dispatch(timer_.get_executor(), [this] { do_read(); });
}

void replay_source::stop() {
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  net::post(timer_.get_executor(), [this] { timer_.cancel(); });
}

// Calls into the stream unless stopped; false once stopped.
bool replay_source::send(const std::function<void()>& call) {
  std::lock_guard lock(mutex_);
  if (!stopped_) call();
  return !stopped_;
}

// Reads up to the next packet, announcing gaps and rejecting unreadable
// lines on the way; a long run of them yields the strand now and then.
void replay_source::do_read() {
  for (int i = 0; i < lines_per_turn; ++i) {
    auto item = reader_->next();
    if (!item && !start_over()) return;
    if (item && !handle(*item)) return;
  }
  net::post(timer_.get_executor(), [this] { do_read(); });
}

// False when reading stops here: a packet now waits for its time, or the source was stopped.
bool replay_source::handle(recording_item& item) {
  if (auto* p = std::get_if<recorded_packet>(&item)) {
    const auto t = p->ts.value_or(p->recv_ts);
    if (pass_ == 0 && !first_ts_) first_ts_ = t;
    if (pass_ == 0) last_ts_ = t;
    epoch_ = p->epoch;
    current_ = std::move(*p);
    do_wait(*current_);
    return false;
  }
  if (auto* e = std::get_if<recorded_event>(&item)) {
    announce(*e);
  } else {
    const auto& u = std::get<unreadable_line>(item);
    send([&] { out_->rejected(reject_reason::not_a_packet, fmt::format("{} line {}: {}", path_, u.line, u.why)); });
  }
  return send([] {});
}

void replay_source::announce(const recorded_event& e) {
  const auto& g = e.event;
  if (g.what != record_event::kind::gap) return;  // connections come and go: only time passes
  if (g.to && *g.to >= g.from) {
    send([&] { out_->lost(*g.to - g.from + 1, g.detail); });
  } else if (!g.to) {
    const auto epoch = epoch_ ? std::to_string(*epoch_) : std::string("?");
    send([&] { out_->lost(1, fmt::format("the recording's epoch {} ended here", epoch)); });
  }
}

// At the end of the file: ended(), or the next pass. A file without any
// packet ends even with --loop, which would otherwise spin.
bool replay_source::start_over() {
  if (!loop_ || pass_packets_ == 0) {
    send([this] { out_->ended(); });
    return false;
  }
  if (pass_ == 0 && first_ts_) {
    const auto span = std::max<std::int64_t>(0, last_ts_ - *first_ts_);
    const auto packets = static_cast<std::int64_t>(pass_packets_);
    pass_shift_ = span + (packets > 1 ? span / (packets - 1) : 0);
  }
  ++pass_;
  pass_packets_ = 0;
  try {
    reader_ = std::make_unique<recording_reader>(path_);
  } catch (const std::runtime_error& e) {
    spdlog::error("replay: cannot start {} over: {}", path_, e.what());
    send([this] { out_->ended(); });
    return false;
  }
  return true;
}

// Due when the recording says, relative to the packet before it.
void replay_source::do_wait(const recorded_packet& p) {
  if (speed_ == 0) return push_current();
  const auto t = p.ts.value_or(p.recv_ts) + static_cast<std::int64_t>(pass_) * pass_shift_;
  const auto now = std::chrono::steady_clock::now();
  if (!paced_by_) due_ = now;
  const auto recorded = std::max<std::int64_t>(0, t - paced_by_.value_or(t));
  const auto after = std::chrono::duration<double, std::micro>(static_cast<double>(recorded) / speed_);
  due_ += std::chrono::duration_cast<std::chrono::steady_clock::duration>(after);
  paced_by_ = t;
  if (now - due_ > max_catch_up) due_ = now;
  timer_.expires_at(due_);
  timer_.async_wait([this](beast::error_code ec) { on_due(ec); });
}

void replay_source::on_due(beast::error_code ec) {
  if (!ec) push_current();
}

void replay_source::push_current() {
  send([this] {
    out_->when_ready([this] {
      net::dispatch(timer_.get_executor(), [this] {
        auto p = std::move(*current_);
        current_.reset();
        ++pass_packets_;
        const auto ts = p.ts ? std::optional(*p.ts + static_cast<std::int64_t>(pass_) * pass_shift_) : std::nullopt;
        if (send([&] { out_->push({std::move(p.arrays), ts, {}}); })) do_read();
      });
    });
  });
}

}  // namespace arraycast
