#include "core/log_budget.hpp"

#include <gtest/gtest.h>

namespace arraycast {
namespace {

using namespace std::chrono_literals;

TEST(log_budget, logs_up_to_the_budget_then_reports_what_it_held_back) {
  log_budget budget(2, 1s);
  const log_budget::clock::time_point t0{std::chrono::hours(1)};
  EXPECT_TRUE(budget.take(t0).log);
  EXPECT_TRUE(budget.take(t0 + 1ms).log);
  EXPECT_FALSE(budget.take(t0 + 2ms).log);
  EXPECT_FALSE(budget.take(t0 + 999ms).log);
  EXPECT_EQ(budget.held_back(), 2u);
  const auto next = budget.take(t0 + 1s);
  EXPECT_TRUE(next.log);
  EXPECT_EQ(next.held_back, 2u);
  EXPECT_EQ(budget.take(t0 + 1001ms).held_back, 0u);
}

}  // namespace
}  // namespace arraycast
