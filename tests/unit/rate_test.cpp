#include "core/rate.hpp"

#include <gtest/gtest.h>

namespace arraycast {
namespace {

using namespace std::chrono_literals;

TEST(rate, reads_a_count_per_period_and_per_second_without_one) {
  EXPECT_EQ(parse_rate("10")->interval(), 100ms);
  EXPECT_EQ(parse_rate("10/s")->interval(), 100ms);
  EXPECT_EQ(parse_rate("1/10s")->interval(), 10s);
  EXPECT_EQ(parse_rate("500/2s")->interval(), 4ms);
  EXPECT_EQ(parse_rate("3/ms")->interval(), 333us);
  EXPECT_EQ(parse_rate("1000000/s")->interval(), 1us);
}

TEST(rate, refuses_what_is_not_a_rate) {
  for (const auto* text : {"", "0", "0/s", "-1/s", "10/", "10/x", "10s", "1.5/s", "10/0s", "2/us", "/s", "ten/s"})
    EXPECT_FALSE(parse_rate(text)) << text;
}

}  // namespace
}  // namespace arraycast
