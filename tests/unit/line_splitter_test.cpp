#include "core/line_splitter.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace arraycast {
namespace {

struct collected {
  std::vector<std::string> lines;
  std::vector<std::size_t> too_long;
  line_splitter splitter;

  explicit collected(std::size_t max_line)
      : splitter(max_line, [this](std::string_view l) { lines.emplace_back(l); },
                 [this](std::size_t n) { too_long.push_back(n); }) {}
};

TEST(line_splitter, lines_split_across_reads_are_joined) {
  collected c(100);
  c.splitter.feed("1 2");
  c.splitter.feed(" 3\n4 5\n6");
  c.splitter.feed("\n");
  EXPECT_EQ(c.lines, (std::vector<std::string>{"1 2 3", "4 5", "6"}));
}

TEST(line_splitter, a_last_line_without_newline_counts_at_the_end) {
  collected c(100);
  c.splitter.feed("1\n2");
  EXPECT_EQ(c.lines.size(), 1u);
  c.splitter.finish();
  EXPECT_EQ(c.lines, (std::vector<std::string>{"1", "2"}));
}

TEST(line_splitter, a_too_long_line_is_reported_once_and_skipped_without_holding_it) {
  collected c(10);
  c.splitter.feed("short\n");
  for (int i = 0; i < 1000; ++i) c.splitter.feed("0123456789");  // 10 kB, never held
  c.splitter.feed("tail\nnext\n");
  EXPECT_EQ(c.lines, (std::vector<std::string>{"short", "next"}));
  EXPECT_EQ(c.too_long, (std::vector<std::size_t>{10004}));
}

TEST(line_splitter, a_line_of_exactly_the_limit_passes) {
  collected c(5);
  c.splitter.feed("12345\n123456\n");
  EXPECT_EQ(c.lines, (std::vector<std::string>{"12345"}));
  EXPECT_EQ(c.too_long.size(), 1u);
}

}  // namespace
}  // namespace arraycast
