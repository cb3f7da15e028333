#include "core/send_queue.hpp"

#include <utility>

namespace arraycast {

namespace {

// Past this many, a written batch gives its memory back (a replay can leave
// thousands of slots behind); below it, keeping them saves reallocating.
constexpr std::size_t capacity_kept = 64;

}  // namespace

void send_queue::push(frame_ptr f, bool exempt) {
  waiting_.push_back(std::move(f));
  exempt_waiting_ += exempt ? 1 : 0;
}

void send_queue::insert(std::size_t position, const std::vector<frame_ptr>& frames) {
  waiting_.insert(waiting_.begin() + static_cast<std::ptrdiff_t>(position), frames.begin(), frames.end());
  exempt_waiting_ += frames.size();
}

const std::vector<frame_ptr>& send_queue::start_batch() {
  batch_.swap(waiting_);
  exempt_in_batch_ = std::exchange(exempt_waiting_, 0);
  return batch_;
}

void send_queue::finish_batch() {
  batch_.clear();
  exempt_in_batch_ = 0;
  if (batch_.capacity() > capacity_kept) batch_ = {};
}

}  // namespace arraycast
