#include "core/token_bucket.hpp"

#include <gtest/gtest.h>

namespace arraycast {
namespace {

using namespace std::chrono_literals;

const token_bucket::clock::time_point t0{std::chrono::hours(1)};

TEST(token_bucket, gives_its_burst_at_once_then_one_token_per_interval) {
  const token_bucket::shape s{100ms, 3};
  token_bucket b;
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(b.try_take(s, t0)) << i;
  EXPECT_FALSE(b.try_take(s, t0));
  EXPECT_EQ(b.wait(s, t0), 100ms);
  EXPECT_FALSE(b.try_take(s, t0 + 99ms));
  EXPECT_TRUE(b.try_take(s, t0 + 100ms));
  EXPECT_FALSE(b.try_take(s, t0 + 100ms));
}

TEST(token_bucket, refills_to_its_burst_and_no_further) {
  const token_bucket::shape s{100ms, 2};
  token_bucket b;
  EXPECT_TRUE(b.try_take(s, t0));
  EXPECT_FALSE(b.full(t0 + 99ms));
  EXPECT_TRUE(b.full(t0 + 100ms));
  // An hour of silence earns two tokens, not 36,000.
  const auto later = t0 + 1h;
  EXPECT_TRUE(b.try_take(s, later));
  EXPECT_TRUE(b.try_take(s, later));
  EXPECT_FALSE(b.try_take(s, later));
  EXPECT_EQ(b.wait(s, later + 50ms), 50ms);
}

TEST(token_bucket, refused_takes_cost_nothing) {
  const token_bucket::shape s{1s, 1};
  token_bucket b;
  EXPECT_TRUE(b.try_take(s, t0));
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(b.try_take(s, t0 + 500ms));
  EXPECT_TRUE(b.try_take(s, t0 + 1s));
}

}  // namespace
}  // namespace arraycast
