#include "core/input_line.hpp"

#include <gtest/gtest.h>

namespace arraycast {
namespace {

input_packet ok(std::string_view line) {
  auto r = read_input_line(line);
  if (auto* why = std::get_if<std::string>(&r)) ADD_FAILURE() << line << ": " << *why;
  return std::get_if<input_packet>(&r) ? std::get<input_packet>(r) : input_packet{};
}

std::string refused(std::string_view line) {
  auto r = read_input_line(line);
  return std::get_if<std::string>(&r) ? std::get<std::string>(r) : "accepted";
}

TEST(input_line, reads_every_producer_format) {
  EXPECT_EQ(ok("[[1,2],[3.5]]").arrays, (std::vector<array_t>{{1, 2}, {3.5}}));
  const auto object = ok(R"({"arrays":[[1]],"ts":1764000000000000})");
  EXPECT_EQ(object.arrays, (std::vector<array_t>{{1}}));
  EXPECT_EQ(object.ts, 1764000000000000);
  EXPECT_FALSE(ok(R"({"arrays":[[1]]})").ts.has_value());
  EXPECT_EQ(ok("1 2.0 -3").arrays, (std::vector<array_t>{{1, 2.0, -3}}));
  EXPECT_EQ(ok("  1,2 ,\t3 \r").arrays, (std::vector<array_t>{{1, 2, 3}}));
}

TEST(input_line, a_recorders_jsonl_packet_line_is_input_too) {
  const auto p = ok(R"({"seq":4,"epoch":7,"ts":99,"recv_ts":100,"arrays":[[5,6]]})");
  EXPECT_EQ(p.arrays, (std::vector<array_t>{{5, 6}}));
  EXPECT_EQ(p.ts, 99);
}

TEST(input_line, refuses_what_is_not_a_packet) {
  EXPECT_NE(refused("1 two 3"), "accepted");
  EXPECT_NE(refused("1],[2"), "accepted");
  EXPECT_NE(refused("[[1,\"x\"]]"), "accepted");
  EXPECT_NE(refused(R"({"event":"connected"})"), "accepted");
  EXPECT_NE(refused(R"({"arrays":[[1]],"ts":1.5})"), "accepted");
  EXPECT_NE(refused("   "), "accepted");
  EXPECT_NE(refused("[1,2]"), "accepted");  // an array, not an array of arrays
}

}  // namespace
}  // namespace arraycast
