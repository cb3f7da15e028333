#include "core/line_decoder.hpp"

#include <gtest/gtest.h>

namespace arraycast {
namespace {

input_packet packet_of(line_decoder& d, std::string_view line) {
  auto r = d.feed(line);
  if (auto* e = std::get_if<input_rejection>(&r)) ADD_FAILURE() << line << ": " << e->detail;
  if (auto* p = std::get_if<input_packet>(&r)) return *p;
  ADD_FAILURE() << line << ": no packet";
  return {};
}

reject_reason reason_of(line_decoder& d, std::string_view line) {
  auto r = d.feed(line);
  if (auto* e = std::get_if<input_rejection>(&r)) return e->reason;
  ADD_FAILURE() << line << ": accepted";
  return reject_reason::bad_binary;
}

TEST(line_decoder, a_json_array_of_arrays_is_one_packet) {
  line_decoder d;
  EXPECT_EQ(packet_of(d, "[[1,2,3],[4.5,-6]]"), (input_packet{{{1, 2, 3}, {4.5, -6}}, std::nullopt}));
}

TEST(line_decoder, an_object_carries_arrays_and_the_producers_ts) {
  line_decoder d;
  EXPECT_EQ(packet_of(d, R"({"arrays":[[1]],"ts":1764000000000000})"), (input_packet{{{1}}, 1764000000000000}));
  EXPECT_EQ(packet_of(d, R"({"arrays":[[2.5]]})"), (input_packet{{{2.5}}, std::nullopt}));
}

TEST(line_decoder, a_recorders_jsonl_reads_back_and_its_events_are_skipped) {
  line_decoder d;
  EXPECT_EQ(packet_of(d, R"({"seq":3,"epoch":9,"ts":100,"recv_ts":120,"arrays":[[7,8]]})"),
            (input_packet{{{7, 8}}, 100}));
  EXPECT_TRUE(std::holds_alternative<std::monostate>(d.feed(R"({"event":"connected","time":1,"url":"ws://x/"})")));
}

TEST(line_decoder, numbers_by_spaces_commas_or_brackets_are_one_array) {
  line_decoder d;
  for (const auto* line : {"1 2 3.5", "1,2,3.5", "1, 2,\t3.5\r", "[1, 2, 3.5]"})
    EXPECT_EQ(packet_of(d, line), (input_packet{{{1, 2, 3.5}}, std::nullopt})) << line;
}

TEST(line_decoder, a_group_of_lines_makes_one_packet) {
  line_decoder d(input_format::automatic, 3);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(d.feed("1 2")));
  EXPECT_TRUE(std::holds_alternative<std::monostate>(d.feed("3")));
  EXPECT_EQ(packet_of(d, "4 5 6"), (input_packet{{{1, 2}, {3}, {4, 5, 6}}, std::nullopt}));
}

TEST(line_decoder, a_bad_line_drops_its_unfinished_group) {
  line_decoder d(input_format::automatic, 2);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(d.feed("1")));
  EXPECT_EQ(reason_of(d, "2 x"), reject_reason::bad_value);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(d.feed("3")));
  EXPECT_EQ(packet_of(d, "4"), (input_packet{{{3}, {4}}, std::nullopt}));
}

TEST(line_decoder, blank_and_comment_lines_are_skipped) {
  line_decoder d;
  for (const auto* line : {"", "   ", "\r", "# packet 1 epoch 2 : 12:00:00.000000"})
    EXPECT_TRUE(std::holds_alternative<std::monostate>(d.feed(line))) << line;
}

TEST(line_decoder, what_is_not_a_packet_is_rejected_with_its_reason) {
  line_decoder d;
  EXPECT_EQ(reason_of(d, "[[1,2"), reject_reason::not_a_packet);
  EXPECT_EQ(reason_of(d, R"({"values":[[1]]})"), reject_reason::not_a_packet);
  EXPECT_EQ(reason_of(d, R"({"arrays":[[1]],"ts":"now"})"), reject_reason::not_a_packet);
  EXPECT_EQ(reason_of(d, R"([[1,"two"]])"), reject_reason::bad_value);
  EXPECT_EQ(reason_of(d, "[[1e999]]"), reject_reason::bad_value);  // infinite
  EXPECT_EQ(reason_of(d, "1 nan 3"), reject_reason::bad_value);
  EXPECT_EQ(reason_of(d, "1 inf"), reject_reason::bad_value);
  EXPECT_EQ(reason_of(d, "hello"), reject_reason::bad_value);
}

TEST(line_decoder, an_integer_beyond_64_bits_is_a_double_as_in_json) {
  line_decoder d;
  EXPECT_EQ(packet_of(d, "99999999999999999999"), (input_packet{{{1e20}}, std::nullopt}));
  EXPECT_EQ(packet_of(d, "[[99999999999999999999]]"), (input_packet{{{1e20}}, std::nullopt}));
}

TEST(line_decoder, each_format_reads_only_its_own_lines) {
  line_decoder json(input_format::json);
  EXPECT_EQ(reason_of(json, "1 2 3"), reject_reason::not_a_packet);
  line_decoder numbers(input_format::numbers);
  EXPECT_EQ(reason_of(numbers, "[[1]]"), reject_reason::bad_value);
}

TEST(line_decoder, format_names) {
  EXPECT_EQ(parse_input_format("auto"), input_format::automatic);
  EXPECT_EQ(parse_input_format("numbers"), input_format::numbers);
  EXPECT_EQ(parse_input_format("csv"), std::nullopt);
}

}  // namespace
}  // namespace arraycast
