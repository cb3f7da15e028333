#include "loadgen/latency_histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace arraycast {

std::size_t latency_histogram::bucket_of(std::uint64_t value) {
  if (value < exact) return static_cast<std::size_t>(value);
  const auto shift = std::min<unsigned>(static_cast<unsigned>(std::bit_width(value)) - 1 - sub_bits, max_shift);
  const auto sub = std::min<std::uint64_t>(value >> shift, exact - 1);  // 64..127
  return (static_cast<std::size_t>(shift) << sub_bits) + static_cast<std::size_t>(sub);
}

std::int64_t latency_histogram::upper_edge(std::size_t bucket) {
  if (bucket < exact) return static_cast<std::int64_t>(bucket);
  const auto shift = (bucket >> sub_bits) - 1;
  const auto sub = (bucket & ((1u << sub_bits) - 1)) + (1u << sub_bits);
  return static_cast<std::int64_t>(((sub + 1) << shift) - 1);
}

void latency_histogram::record(std::int64_t value) {
  value = std::max<std::int64_t>(value, 0);  // clocks of one machine; a negative is rounding
  ++counts_[bucket_of(static_cast<std::uint64_t>(value))];
  ++count_;
  max_ = std::max(max_, value);
}

void latency_histogram::merge(const latency_histogram& other) {
  for (std::size_t i = 0; i < buckets; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  max_ = std::max(max_, other.max_);
}

std::int64_t latency_histogram::percentile(double q) const {
  if (count_ == 0) return 0;
  const auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_))));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < buckets; ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::min(upper_edge(i), max_);
  }
  return max_;
}

}  // namespace arraycast
