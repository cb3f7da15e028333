#include "core/values.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <variant>

#include <boost/json.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

namespace arraycast {
namespace {

namespace json = boost::json;
using i64 = std::numeric_limits<std::int64_t>;
using f64 = std::numeric_limits<double>;
using arrays = std::vector<array_t>;

arrays read(const json::value& v) {
  auto got = arrays_from_json(v);
  if (auto* why = std::get_if<std::string>(&got)) ADD_FAILURE() << json::serialize(v) << ": " << *why;
  if (auto* a = std::get_if<arrays>(&got)) return *a;
  return {};
}

arrays read_text(std::string_view text) { return read(json::parse(text)); }

std::string refused(const json::value& v) {
  auto got = arrays_from_json(v);
  EXPECT_TRUE(std::holds_alternative<std::string>(got)) << "accepted: " << json::serialize(v);
  if (auto* why = std::get_if<std::string>(&got)) return *why;
  return {};
}

std::string refused_text(std::string_view text) { return refused(json::parse(text)); }

// --- arrays_from_json ----------------------------------------------------------

TEST(values, integers_stay_integers_and_a_fraction_or_exponent_makes_a_double) {
  const auto a = read_text("[[1, -2, 2.0, 2.5, 1e3, 0]]");
  ASSERT_EQ(a.size(), 1u);
  const bool floats[] = {false, false, true, true, true, false};
  ASSERT_EQ(a[0].size(), std::size(floats));
  for (std::size_t i = 0; i < a[0].size(); ++i) EXPECT_EQ(a[0][i].is_float(), floats[i]) << i;
  EXPECT_EQ(a[0][1].as_int(), -2);
  EXPECT_EQ(a[0][3].as_double(), 2.5);
  EXPECT_EQ(a[0][4].as_double(), 1000.0);
}

TEST(values, ragged_empty_and_no_arrays_are_read_as_they_are) {
  EXPECT_EQ(read_text("[[1, 2, 3], [], [4.5]]"), (arrays{{1, 2, 3}, {}, {4.5}}));
  EXPECT_EQ(read_text("[]"), arrays{});
  EXPECT_EQ(read_text("[[]]"), arrays(1));
}

TEST(values, the_whole_int64_range_is_read_exactly) {
  EXPECT_EQ(read_text("[[-9223372036854775808, 9223372036854775807]]"), (arrays{{i64::min(), i64::max()}}));
  EXPECT_EQ(read_text("[[9007199254740993]]")[0][0].as_int(), 9007199254740993);  // 2^53 + 1: a double would lose it
}

TEST(values, integers_beyond_int64_are_doubles_as_beyond_uint64) {
  EXPECT_EQ(read_text("[[9223372036854775808]]"), (arrays{{9223372036854775808.0}}));
  EXPECT_EQ(read_text("[[1], [18446744073709551615]]"), (arrays{{1}, {18446744073709551615.0}}));
  EXPECT_EQ(read_text("[[100000000000000000000]]"), (arrays{{1e20}}));
}

TEST(values, numbers_that_are_not_finite_are_refused) {
  // JSON text has no NaN or Infinity, but a value built in code (a source's
  // own parser) may hold one: it must not slip through.
  for (const auto bad : {f64::quiet_NaN(), f64::infinity(), -f64::infinity()})
    EXPECT_NE(refused(json::array{json::array{1, bad}}).find("not finite"), std::string::npos) << bad;
}

TEST(values, anything_but_numbers_is_refused) {
  for (const auto* text : {R"([["1"]])", "[[null]]", "[[true]]", "[[[1]]]", R"([[{"v":1}]])"})
    EXPECT_NE(refused_text(text).find("not a number"), std::string::npos) << text;
  for (const auto* text : {"[1, 2]", "[[1], 2]", R"({"arrays": [[1]]})", "1", "null"})
    EXPECT_NE(refused_text(text).find("array of arrays"), std::string::npos) << text;
}

TEST(values, at_most_max_packet_values_all_arrays_together) {
  const auto half = max_packet_values / 2;
  json::array rows{json::array(half, 1), json::array(max_packet_values - half, 2.5)};
  EXPECT_EQ(read(rows).size(), 2u);
  rows.emplace_back(json::array{3});
  EXPECT_NE(refused(rows).find("more than"), std::string::npos);
}

TEST(values, at_most_max_packet_values_arrays_even_empty_ones) {
  json::array rows(max_packet_values, json::array());
  EXPECT_EQ(read(rows).size(), max_packet_values);
  rows.emplace_back(json::array());
  EXPECT_NE(refused(rows).find("arrays in one packet"), std::string::npos);
}

// --- arrays_to_json ------------------------------------------------------------

TEST(values, to_json_keeps_each_kind_through_a_round_trip) {
  const arrays a{{1, 2.0, -0.5}, {}, {i64::min(), 1e300, -0.0, f64::denorm_min()}};
  const auto text = json::serialize(arrays_to_json(a));
  EXPECT_EQ(read(json::parse(text)), a) << text;  // == compares kinds, and doubles bit for bit
  EXPECT_EQ(json::serialize(arrays_to_json({{2.5, 2.0, 2}})), "[[2.5E0,2E0,2]]");
}

// --- format_value ----------------------------------------------------------------

TEST(values, format_value_shows_a_double_is_one) {
  EXPECT_EQ(format_value(2.0), "2.0");
  EXPECT_EQ(format_value(-0.5), "-0.5");
  EXPECT_EQ(format_value(-0.0), "-0.0");
  EXPECT_EQ(format_value(0.1), "0.1");
  EXPECT_EQ(format_value(1e300), "1e+300");
  EXPECT_EQ(format_value(1e-7), "1e-07");
  EXPECT_EQ(format_value(2), "2");
  EXPECT_EQ(format_value(-7), "-7");
  EXPECT_EQ(format_value(i64::min()), "-9223372036854775808");
}

TEST(values, formatted_text_reads_back_as_the_same_value) {
  for (const value v : {value(2.0), value(-0.5), value(1e300), value(-0.0), value(0.1), value(1.0 / 3),
                        value(f64::max()), value(f64::denorm_min()), value(123456789012345678.0),
                        value(i64::min()), value(i64::max()), value(0)}) {
    const auto text = format_value(v);
    EXPECT_EQ(read_text("[[" + text + "]]"), arrays{{v}}) << text;
  }
}

TEST(values, fmt_formats_values_like_format_value) {
  EXPECT_EQ(fmt::format("{}", value(2.0)), "2.0");
  EXPECT_EQ(fmt::format("{}", fmt::join(array_t{1, 2.0, -0.5}, " ")), "1 2.0 -0.5");
}

}  // namespace
}  // namespace arraycast
