#include "core/history.hpp"

#include <algorithm>

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
  const std::uint64_t first = last_seq + 1;
  const std::uint64_t oldest = frames_.empty() ? head_ + 1 : frames_.front()->first_seq();
  if (first < oldest) plan.gaps.push_back(protocol::gap{first, oldest - 1, gone});
  // Seqs rise but need not be consecutive (a gap frame stands for several):
  // replay every frame that ends at or after `first`.
  const auto from = std::lower_bound(frames_.begin(), frames_.end(), first,
                                     [](const frame_ptr& f, std::uint64_t seq) { return f->seq < seq; });
  plan.replay.assign(from, frames_.end());
  return plan;
}

}  // namespace arraycast
