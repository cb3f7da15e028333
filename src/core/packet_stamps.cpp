#include "core/packet_stamps.hpp"

namespace arraycast {

packet_stamps::packet_stamps() : slots_(std::make_unique<slot[]>(capacity)) {}

// The seqlock's write side: readers that overlap see seq 0 or a seq that is
// not theirs, before or after, and discard what they read.
void packet_stamps::push(std::uint64_t seq, const stamp& s) {
  auto& at = slots_[seq % capacity];
  at.seq.store(0, std::memory_order_relaxed);
  std::atomic_thread_fence(std::memory_order_release);
  at.ts.store(s.ts, std::memory_order_relaxed);
  at.arrays.store(s.arrays, std::memory_order_relaxed);
  at.seq.store(seq, std::memory_order_release);
}

std::optional<packet_stamps::stamp> packet_stamps::find(std::uint64_t seq) const {
  if (seq == 0) return std::nullopt;  // a slot never written also reads as seq 0
  const auto& at = slots_[seq % capacity];
  if (at.seq.load(std::memory_order_acquire) != seq) return std::nullopt;
  const stamp s{at.ts.load(std::memory_order_relaxed), at.arrays.load(std::memory_order_relaxed)};
  std::atomic_thread_fence(std::memory_order_acquire);
  if (at.seq.load(std::memory_order_relaxed) != seq) return std::nullopt;  // rewritten meanwhile
  return s;
}

}  // namespace arraycast
