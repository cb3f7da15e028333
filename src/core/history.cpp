#include "core/history.hpp"

namespace arraycast {

void history::push(frame_ptr f) {
  head_ = f->seq;
  if (capacity_ == 0) return;
  if (frames_.size() == capacity_) frames_.pop_front();
  frames_.push_back(std::move(f));
}

resume_plan history::resume_from(std::uint64_t last_seq) const {
  resume_plan plan;
  plan.first_live = head_ + 1;
  if (last_seq >= head_) return plan;
  std::uint64_t first = last_seq + 1;
  const std::uint64_t oldest = frames_.empty() ? head_ + 1 : frames_.front()->seq;
  if (first < oldest) {
    plan.gaps.push_back(protocol::gap{first, oldest - 1, "history"});
    first = oldest;
  }
  const auto skip = static_cast<std::ptrdiff_t>(first - oldest);
  plan.replay.assign(frames_.begin() + std::min<std::ptrdiff_t>(skip, std::ssize(frames_)), frames_.end());
  return plan;
}

}  // namespace arraycast
