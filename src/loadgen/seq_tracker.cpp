#include "loadgen/seq_tracker.hpp"

#include <algorithm>
#include <utility>

namespace arraycast {

protocol::hello seq_tracker::hello(std::string name) {
  resuming_ = baseline_;
  if (!resuming_) return protocol::hello{std::move(name), {}, {}};
  return protocol::hello{std::move(name), epoch_, last_seq_};
}

void seq_tracker::on_welcome(std::uint64_t epoch, std::uint64_t head, clock::time_point now) {
  stats_.welcomed_at = now;
  stats_.caught_up_at = {};
  catch_up_to_ = head;
  caught_up_ = false;
  if (head == 0) mark_caught_up(now);  // nothing generated yet: nothing to catch up on
  if (epoch == epoch_) return;
  // A resumed client's old epoch is over; the server replays the new one
  // from seq 1. A fresh client simply starts wherever the stream is.
  if (resuming_) stats_.ended.push_back({epoch_, last_seq_});
  epoch_ = epoch;
  last_seq_ = 0;
  baseline_ = resuming_;
}

void seq_tracker::on_gap(const protocol::gap& g) {
  if (!g.to) return;  // "new epoch": the tail is counted from epoch_end
  if (*g.to >= g.from) stats_.missing += *g.to - g.from + 1;
  last_seq_ = std::max(last_seq_, *g.to);
  baseline_ = true;
}

void seq_tracker::mark_caught_up(clock::time_point now) {
  caught_up_ = true;
  stats_.caught_up_at = now;
}

}  // namespace arraycast
