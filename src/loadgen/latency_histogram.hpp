#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace arraycast {

// A log-linear histogram of non-negative integers (microseconds), in the
// manner of HdrHistogram: exact below 128, then 64 buckets per power of two,
// so any reported percentile is within 1/64 (1.6%) of the true value. A fixed
// array: record() never allocates. One per thread; merge() at the end.
// Not synchronized: its owner's thread only, until merged.
class latency_histogram {
public:
  void record(std::int64_t value);
  void merge(const latency_histogram& other);

  std::uint64_t count() const { return count_; }
  std::int64_t max() const { return max_; }
  // The value at or below which a fraction `q` (0..1) of samples lie, as the
  // upper edge of its bucket; 0 when empty.
  std::int64_t percentile(double q) const;

private:
  static constexpr unsigned sub_bits = 6;                 // 64 buckets per power of two
  static constexpr std::size_t exact = 2u << sub_bits;    // 0..127 are their own bucket
  static constexpr unsigned max_shift = 40;               // up to 2^46 µs (2 years): clamp beyond
  static constexpr std::size_t buckets = (max_shift + 2) << sub_bits;

  static std::size_t bucket_of(std::uint64_t value);
  static std::int64_t upper_edge(std::size_t bucket);

  std::array<std::uint64_t, buckets> counts_{};
  std::uint64_t count_ = 0;
  std::int64_t max_ = 0;
};

}  // namespace arraycast
