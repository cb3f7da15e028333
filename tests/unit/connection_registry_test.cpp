#include "server/connection_registry.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <utility>

namespace arraycast {
namespace {

TEST(ConnectionRegistry, RefusesOverTheLimitAndCountsIt) {
  server_metrics m;
  connection_registry all(2, m);
  auto a = all.try_open();
  auto b = all.try_open();
  ASSERT_TRUE(a && b);
  EXPECT_FALSE(all.try_open());
  EXPECT_EQ(all.open(), 2u);
  EXPECT_EQ(m.connections_open.load(), 2u);
  EXPECT_EQ(m.connections_refused.load(), 1u);
  a.reset();  // a closed connection frees its place
  EXPECT_EQ(all.open(), 1u);
  EXPECT_TRUE(all.try_open());
}

TEST(ConnectionRegistry, AMovedSlotIsOnePlaceFreedOnce) {
  server_metrics m;
  connection_registry all(1, m);
  auto first = all.try_open();
  ASSERT_TRUE(first);
  {
    connection_slot next(std::move(*first));  // handed from http_session to a WebSocket session
    first.reset();
    EXPECT_EQ(all.open(), 1u);
  }
  EXPECT_EQ(all.open(), 0u);
}

TEST(ConnectionRegistry, StopAllRunsEachActionOnItsLoopAndRefusesNewcomers) {
  server_metrics m;
  connection_registry all(10, m);
  net::io_context loop;
  int stopped = 0;
  auto a = all.try_open();
  auto b = all.try_open();
  auto c = all.try_open();  // no action: closed by other means
  a->on_stop(loop.get_executor(), [&] { ++stopped; });
  b->on_stop(loop.get_executor(), [&] { ++stopped; });
  all.stop_all();
  EXPECT_EQ(stopped, 0) << "actions run on the connection's loop, not the caller's";
  loop.run();
  EXPECT_EQ(stopped, 2);
  EXPECT_FALSE(all.try_open());
}

}  // namespace
}  // namespace arraycast
