#include "core/backoff.hpp"

#include <algorithm>
#include <random>
#include <utility>

namespace arraycast {

backoff::backoff(duration initial, duration cap, jitter_fn jitter)
    : initial_(initial), cap_(cap), jitter_(std::move(jitter)) {}

backoff::duration backoff::next() {
  // Stop doubling once past the cap so the shift never overflows.
  auto ceiling = initial_;
  for (unsigned i = 0; i < attempt_ && ceiling < cap_; ++i) ceiling *= 2;
  ceiling = std::min(ceiling, cap_);
  ++attempt_;
  const double half = static_cast<double>(ceiling.count()) / 2.0;
  return duration(static_cast<duration::rep>(half + half * jitter_()));
}

backoff::jitter_fn uniform_jitter() {
  return [engine = std::mt19937_64(std::random_device{}())]() mutable {
    return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
  };
}

}  // namespace arraycast
