#include "source/random_arrays.hpp"

#include <string>

#include "core/protocol.hpp"

#include <algorithm>
#include <cstdint>
#include <set>

#include <gtest/gtest.h>

namespace arraycast {
namespace {

TEST(random_arrays, shape_is_arrays_by_length) {
  random_arrays src({3, 7, 0, 99}, 1);
  for (std::uint64_t seq = 1; seq <= 5; ++seq) {
    const auto arrays = src.arrays_for(seq);
    ASSERT_EQ(arrays.size(), 3u);
    for (const auto& a : arrays) EXPECT_EQ(a.size(), 7u);
  }
}

TEST(random_arrays, default_params_are_five_arrays_of_ten_in_0_99) {
  const random_params p;
  EXPECT_EQ(p.arrays, 5u);
  EXPECT_EQ(p.length, 10u);
  EXPECT_EQ(p.min, 0);
  EXPECT_EQ(p.max, 99);
}

TEST(random_arrays, zero_arrays_or_zero_length_are_empty) {
  EXPECT_TRUE(random_arrays({0, 10, 0, 99}, 1).arrays_for(1).empty());
  const auto arrays = random_arrays({4, 0, 0, 99}, 1).arrays_for(1);
  ASSERT_EQ(arrays.size(), 4u);
  for (const auto& a : arrays) EXPECT_TRUE(a.empty());
}

// Every value is in [min, max], and over many packets both bounds are drawn.
void expect_range_covered(std::int64_t min, std::int64_t max) {
  random_arrays src({5, 10, min, max}, 12345);
  std::int64_t lowest = max;
  std::int64_t highest = min;
  for (std::uint64_t seq = 1; seq <= 200; ++seq)
    for (const auto& a : src.arrays_for(seq))
      for (const auto v : a) {
        const auto x = v.as_int();
        ASSERT_FALSE(v.is_float());
        ASSERT_GE(x, min);
        ASSERT_LE(x, max);
        lowest = std::min(lowest, x);
        highest = std::max(highest, x);
      }
  EXPECT_EQ(lowest, min);
  EXPECT_EQ(highest, max);
}

TEST(random_arrays, values_cover_the_inclusive_range) { expect_range_covered(0, 99); }
TEST(random_arrays, negative_ranges_work) { expect_range_covered(-50, -10); }
TEST(random_arrays, ranges_across_zero_work) { expect_range_covered(-3, 3); }

TEST(random_arrays, min_equal_to_max_gives_that_value) {
  random_arrays src({2, 4, 7, 7}, 99);
  for (std::uint64_t seq = 1; seq <= 3; ++seq)
    for (const auto& a : src.arrays_for(seq)) EXPECT_EQ(a, array_t(4, 7));
}

TEST(random_arrays, same_seed_and_seq_give_the_same_arrays) {
  random_arrays a({5, 10, 0, 99}, 42);
  random_arrays b({5, 10, 0, 99}, 42);
  for (std::uint64_t seq = 1; seq <= 20; ++seq) EXPECT_EQ(a.arrays_for(seq), b.arrays_for(seq)) << seq;
}

TEST(random_arrays, a_packet_does_not_depend_on_the_ones_before) {
  random_arrays a({5, 10, 0, 99}, 42);
  random_arrays b({5, 10, 0, 99}, 42);
  for (std::uint64_t seq = 1; seq < 10; ++seq) a.arrays_for(seq);
  EXPECT_EQ(a.arrays_for(10), b.arrays_for(10));
  EXPECT_EQ(b.arrays_for(3), random_arrays({5, 10, 0, 99}, 42).arrays_for(3));
}

TEST(random_arrays, different_seqs_give_different_arrays) {
  random_arrays src({5, 10, 0, 99}, 42);
  std::set<std::string> seen;  // packets as JSON: values have no order of their own
  for (std::uint64_t seq = 1; seq <= 100; ++seq) seen.insert(protocol::encode(packet{1, 0, src.arrays_for(seq)}));
  EXPECT_EQ(seen.size(), 100u);
  // seq differing only in the high 32 bits must differ too
  EXPECT_NE(src.arrays_for(1), src.arrays_for(1 + (std::uint64_t{1} << 32)));
}

TEST(random_arrays, different_seeds_give_different_arrays) {
  random_arrays a({5, 10, 0, 99}, 1);
  random_arrays b({5, 10, 0, 99}, 2);
  random_arrays high({5, 10, 0, 99}, 1 + (std::uint64_t{1} << 32));
  for (std::uint64_t seq = 1; seq <= 10; ++seq) {
    EXPECT_NE(a.arrays_for(seq), b.arrays_for(seq)) << seq;
    EXPECT_NE(a.arrays_for(seq), high.arrays_for(seq)) << seq;
  }
}

}  // namespace
}  // namespace arraycast
