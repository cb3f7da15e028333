#include "core/duration.hpp"

#include <chrono>
#include <string_view>

#include <gtest/gtest.h>

namespace arraycast {
namespace {

using namespace std::chrono_literals;

TEST(duration, parses_each_unit) {
  EXPECT_EQ(parse_duration("250us"), std::chrono::microseconds(250));
  EXPECT_EQ(parse_duration("500ms"), std::chrono::microseconds(500'000));
  EXPECT_EQ(parse_duration("2s"), std::chrono::microseconds(2'000'000));
  EXPECT_EQ(parse_duration("0s"), std::chrono::microseconds(0));
  EXPECT_EQ(parse_duration("1us"), 1us);
  EXPECT_EQ(parse_duration("100ms"), 100ms);
  EXPECT_EQ(parse_duration("2m"), std::chrono::minutes(2));
  EXPECT_EQ(parse_duration("1h"), std::chrono::hours(1));
}

TEST(duration, parses_the_largest_representable_values) {
  EXPECT_EQ(parse_duration("9223372036854775807us"), std::chrono::microseconds::max());
  EXPECT_EQ(parse_duration("9223372036854775ms"), std::chrono::microseconds(9'223'372'036'854'775'000));
  EXPECT_EQ(parse_duration("9223372036854s"), std::chrono::microseconds(9'223'372'036'854'000'000));
}

TEST(duration, rejects_malformed_text) {
  for (const std::string_view text : {"", "2", "ms", "s", "-1s", "+1s", "2 s", " 2s", "2s ", "1.5s", "2M",
                                      "2H", "2S", "2MS", "2sec", "s2", "2ss", "0x10s"})
    EXPECT_EQ(parse_duration(text), std::nullopt) << '"' << text << '"';
}

TEST(duration, rejects_overflow) {
  EXPECT_EQ(parse_duration("9223372036854775808us"), std::nullopt);  // INT64_MAX + 1
  EXPECT_EQ(parse_duration("9223372036855s"), std::nullopt);         // fits int64, not in µs
  EXPECT_EQ(parse_duration("9223372036854776ms"), std::nullopt);
  EXPECT_EQ(parse_duration("99999999999999999999999s"), std::nullopt);
  EXPECT_EQ(parse_duration("2562047789h"), std::nullopt);  // 2^63 µs is 2562047788.0 h
}

}  // namespace
}  // namespace arraycast
