#include "core/failover.hpp"

#include <chrono>
#include <vector>

#include <gtest/gtest.h>

namespace arraycast {
namespace {

using std::chrono::milliseconds;

// Zero jitter: each delay is half its ceiling, 50, 100, 200, ... ms.
failover make(std::size_t endpoints, std::size_t first = 0) {
  return failover(endpoints, first, backoff(milliseconds(100), milliseconds(5000), [] { return 0.0; }));
}

TEST(failover, starts_on_the_given_endpoint_modulo_the_count) {
  EXPECT_EQ(make(3, 0).current(), 0u);
  EXPECT_EQ(make(3, 4).current(), 1u);
}

TEST(failover, every_attempt_moves_on_round_robin) {
  auto f = make(3, 1);
  std::vector<std::size_t> order;
  for (int i = 0; i < 4; ++i) {
    f.next(false);
    order.push_back(f.current());
  }
  EXPECT_EQ(order, (std::vector<std::size_t>{2, 0, 1, 2}));
}

TEST(failover, a_lost_connection_moves_to_the_next_node_at_once_then_failures_back_off) {
  auto f = make(2);
  EXPECT_EQ(f.next(true), milliseconds(0));
  EXPECT_EQ(f.next(false), milliseconds(50));
  EXPECT_EQ(f.next(false), milliseconds(100));
}

TEST(failover, a_flapping_cluster_is_not_hammered_until_a_connection_holds) {
  auto f = make(2);
  EXPECT_EQ(f.next(true), milliseconds(0));
  EXPECT_EQ(f.next(true), milliseconds(50));   // came up and dropped again before proving itself
  EXPECT_EQ(f.next(true), milliseconds(100));
  f.reset();                                   // one held
  EXPECT_EQ(f.next(true), milliseconds(0));
  EXPECT_EQ(f.next(false), milliseconds(50));  // the backoff started over too
}

TEST(failover, a_single_endpoint_always_backs_off) {
  auto f = make(1);
  EXPECT_EQ(f.next(true), milliseconds(50));
  EXPECT_EQ(f.current(), 0u);
  EXPECT_EQ(f.next(false), milliseconds(100));
}

TEST(failover, a_whole_failed_round_costs_at_least_one_delay_per_further_node) {
  auto f = make(3);
  milliseconds waited{0};
  waited += f.next(true);
  for (int i = 0; i < 2; ++i) waited += f.next(false);
  EXPECT_EQ(f.current(), 0u);  // back where the lost connection was
  EXPECT_EQ(waited, milliseconds(150));
}

}  // namespace
}  // namespace arraycast
