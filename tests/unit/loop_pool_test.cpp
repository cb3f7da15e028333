#include "server/loop_pool.hpp"

#include <chrono>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>

namespace arraycast {
namespace {

using namespace std::chrono_literals;

// Bounds a test that would otherwise hang: stops the pool after `limit`, and
// the test then fails on its elapsed time instead of never ending.
struct watchdog {
  loop_pool& pool;
  std::jthread thread;
  watchdog(loop_pool& p, std::chrono::milliseconds limit)
      : pool(p), thread([this, limit](std::stop_token st) {
          const auto end = std::chrono::steady_clock::now() + limit;
          while (!st.stop_requested() && std::chrono::steady_clock::now() < end) std::this_thread::sleep_for(5ms);
          if (!st.stop_requested()) pool.stop();
        }) {}
};

// One policy for any loop: an exception ends run() on every loop, promptly,
// and reaches run()'s caller, which exits non-zero.
void expect_exception_ends_every_loop(std::size_t thrower) {
  loop_pool pool(3);
  watchdog guard(pool, 3s);
  net::post(pool.at(thrower), [] { throw std::runtime_error("boom"); });
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(
      {
        try {
          pool.run();
        } catch (const std::runtime_error& e) {
          EXPECT_STREQ(e.what(), "boom");
          throw;
        }
      },
      std::runtime_error);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
}

TEST(loop_pool, an_exception_on_the_first_loop_stops_them_all_and_reaches_the_caller) {
  expect_exception_ends_every_loop(0);
}

TEST(loop_pool, an_exception_on_another_loop_stops_them_all_and_reaches_the_caller) {
  expect_exception_ends_every_loop(2);
}

}  // namespace
}  // namespace arraycast
