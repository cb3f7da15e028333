#include "core/hello_query.hpp"

#include <gtest/gtest.h>

namespace arraycast::protocol {
namespace {

std::optional<hello> parsed(std::string_view target) {
  auto r = hello_from_query(target, "peer");
  if (auto* e = std::get_if<decode_error>(&r)) ADD_FAILURE() << target << ": " << e->message;
  return std::get<std::optional<hello>>(r).value_or(hello{"none", {}, {}, encoding::json});
}

std::string refusal(std::string_view target) {
  auto r = hello_from_query(target, "peer");
  const auto* e = std::get_if<decode_error>(&r);
  return e == nullptr ? "accepted" : e->message;
}

TEST(hello_query, a_target_without_hello_parameters_holds_no_hello) {
  for (auto target : {"/", "/?", "/?token=abc", "/?x=1&token=2"}) {
    auto r = hello_from_query(target, "peer");
    ASSERT_TRUE(std::holds_alternative<std::optional<hello>>(r)) << target;
    EXPECT_FALSE(std::get<std::optional<hello>>(r).has_value()) << target;
  }
}

TEST(hello_query, reads_every_field_and_percent_decodes_the_name) {
  EXPECT_EQ(parsed("/?name=lab%20one&epoch=17&last_seq=42&encoding=binary&token=t"),
            (hello{"lab one", 17, 42, encoding::binary}));
  EXPECT_EQ(parsed("/?encoding=json"), (hello{"peer", {}, {}, encoding::json}));
  EXPECT_EQ(parsed("/?epoch=0&last_seq=18446744073709551615"),
            (hello{"peer", 0, 18446744073709551615ULL, encoding::json}));
}

TEST(hello_query, refuses_what_the_hello_message_refuses) {
  EXPECT_EQ(refusal("/?epoch=1"), "in the URL's query: give both \"epoch\" and \"last_seq\", or neither");
  EXPECT_EQ(refusal("/?epoch=1&last_seq=-3"), "in the URL's query: \"last_seq\" must be a whole number, not \"-3\"");
  EXPECT_EQ(refusal("/?epoch=1x&last_seq=3"), "in the URL's query: \"epoch\" must be a whole number, not \"1x\"");
  EXPECT_EQ(refusal("/?epoch=&last_seq=3"), "in the URL's query: \"epoch\" must be a whole number, not \"\"");
  EXPECT_EQ(refusal("/?epoch=1&last_seq=18446744073709551616"),
            "in the URL's query: \"last_seq\" must be a whole number, not \"18446744073709551616\"");
  EXPECT_EQ(refusal("/?encoding=xml"), "in the URL's query: \"encoding\" must be \"json\" or \"binary\"");
  EXPECT_EQ(refusal("/?name="), "in the URL's query: \"name\" must be 1 to 64 bytes (UTF-8) without control characters");
  EXPECT_EQ(refusal("/?name=a%0Ab"), "in the URL's query: \"name\" must be 1 to 64 bytes (UTF-8) without control characters");
  EXPECT_EQ(refusal("/?name=a&name=b"), "in the URL's query: \"name\" is given 2 times");
}

TEST(hello_query, round_trips_through_with_hello) {
  for (const auto& h : {hello{"lab one&two=3", 5, 9, encoding::binary}, hello{"r", {}, {}, encoding::json}}) {
    const auto target = with_hello("/", h);
    EXPECT_EQ(parsed(target), h) << target;
  }
  EXPECT_EQ(with_hello("/?token=abc", hello{"r", 1, 2, encoding::json}), "/?token=abc&name=r&epoch=1&last_seq=2");
}

}  // namespace
}  // namespace arraycast::protocol
