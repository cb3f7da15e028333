#include "core/backoff.hpp"

#include <algorithm>
#include <chrono>
#include <vector>

#include <gtest/gtest.h>

namespace arraycast {
namespace {

using std::chrono::milliseconds;

// The largest double below 1: the top of the jitter source's range [0, 1).
constexpr double almost_one = 0.9999999999;

std::vector<long> schedule(backoff& b, int n) {
  std::vector<long> delays;
  for (int i = 0; i < n; ++i) delays.push_back(static_cast<long>(b.next().count()));
  return delays;
}

TEST(backoff, full_jitter_doubles_up_to_the_cap) {
  backoff b(milliseconds(100), milliseconds(5000), [] { return almost_one; });
  // ceilings 100, 200, 400, ..., 3200, then 5000 for good; ~1 jitter gives (almost) the ceiling
  const std::vector<long> expected{99, 199, 399, 799, 1599, 3199, 4999, 4999, 4999};
  EXPECT_EQ(schedule(b, 9), expected);
}

TEST(backoff, zero_jitter_waits_half_the_ceiling) {
  backoff b(milliseconds(100), milliseconds(5000), [] { return 0.0; });
  const std::vector<long> expected{50, 100, 200, 400, 800, 1600, 2500, 2500};
  EXPECT_EQ(schedule(b, 8), expected);
}

TEST(backoff, every_delay_lies_within_half_the_ceiling_and_the_ceiling) {
  double j = 0.0;
  backoff b(milliseconds(100), milliseconds(5000), [&j] { return j; });
  long ceiling = 100;
  for (int attempt = 0; attempt < 12; ++attempt) {
    j = static_cast<double>(attempt % 4) / 4.0;  // 0, .25, .5, .75
    const auto d = b.next().count();
    EXPECT_GE(d, ceiling / 2) << "attempt " << attempt;
    EXPECT_LE(d, ceiling) << "attempt " << attempt;
    const double half = static_cast<double>(ceiling) / 2;
    EXPECT_EQ(d, static_cast<long>(half + half * j)) << "attempt " << attempt;
    ceiling = std::min(ceiling * 2, 5000L);
  }
}

TEST(backoff, cap_below_initial_caps_the_first_attempt) {
  backoff b(milliseconds(1000), milliseconds(300), [] { return 0.0; });
  EXPECT_EQ(b.next(), milliseconds(150));
  EXPECT_EQ(b.next(), milliseconds(150));
}

TEST(backoff, many_attempts_neither_overflow_nor_pass_the_cap) {
  backoff b(milliseconds(1), milliseconds(60'000), [] { return almost_one; });
  for (int i = 0; i < 1000; ++i) b.next();
  EXPECT_EQ(b.attempt(), 1000u);
  const auto d = b.next();
  EXPECT_GE(d, milliseconds(30'000));
  EXPECT_LE(d, milliseconds(60'000));
}

TEST(backoff, reset_starts_over) {
  backoff b(milliseconds(100), milliseconds(5000), [] { return 0.0; });
  schedule(b, 5);
  EXPECT_EQ(b.attempt(), 5u);
  b.reset();
  EXPECT_EQ(b.attempt(), 0u);
  EXPECT_EQ(b.next(), milliseconds(50));
  EXPECT_EQ(b.next(), milliseconds(100));
  EXPECT_EQ(b.attempt(), 2u);
}

}  // namespace
}  // namespace arraycast
