#include "core/publish_buffer.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace arraycast {
namespace {

std::vector<std::string> drain(publish_buffer& b) {
  std::vector<std::string> out;
  while (auto m = b.next_unsent()) out.push_back(*m);
  return out;
}

TEST(publish_buffer, sends_each_once_in_order) {
  publish_buffer b(10);
  b.add(1, "a");
  b.add(2, "b");
  EXPECT_EQ(drain(b), (std::vector<std::string>{"a", "b"}));
  b.add(3, "c");
  EXPECT_EQ(drain(b), (std::vector<std::string>{"c"}));
}

TEST(publish_buffer, a_new_connection_resends_what_was_not_settled) {
  publish_buffer b(10);
  for (std::uint64_t i = 1; i <= 4; ++i) b.add(i, std::to_string(i));
  drain(b);
  EXPECT_TRUE(b.settle(1));
  EXPECT_TRUE(b.settle(3));  // out of order: refused by the server
  b.resend_all();
  EXPECT_EQ(drain(b), (std::vector<std::string>{"2", "4"}));
}

TEST(publish_buffer, settling_a_sent_packet_keeps_the_unsent_ones_next) {
  publish_buffer b(10);
  for (std::uint64_t i = 1; i <= 3; ++i) b.add(i, std::to_string(i));
  ASSERT_EQ(*b.next_unsent(), "1");
  EXPECT_TRUE(b.settle(1));
  EXPECT_EQ(drain(b), (std::vector<std::string>{"2", "3"}));
}

TEST(publish_buffer, settling_twice_or_unknown_is_refused) {
  publish_buffer b(10);
  b.add(5, "x");
  EXPECT_FALSE(b.settle(4));
  EXPECT_TRUE(b.settle(5));
  EXPECT_FALSE(b.settle(5));
  EXPECT_TRUE(b.empty());
}

TEST(publish_buffer, is_full_at_capacity) {
  publish_buffer b(2);
  b.add(1, "a");
  EXPECT_FALSE(b.full());
  b.add(2, "b");
  EXPECT_TRUE(b.full());
  b.settle(1);
  EXPECT_FALSE(b.full());
  EXPECT_EQ(b.size(), 1u);
}

}  // namespace
}  // namespace arraycast
