#include "server/render_cache.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace arraycast {
namespace {

using namespace std::chrono_literals;

TEST(RenderCache, RendersOncePerTtlForTheSameKey) {
  render_cache cache(10s);
  int renders = 0;
  auto render = [&] { return "body " + std::to_string(++renders); };
  EXPECT_EQ(*cache.get(1, render), "body 1");
  EXPECT_EQ(*cache.get(1, render), "body 1");
  EXPECT_EQ(renders, 1);
}

TEST(RenderCache, ANewKeyRendersAtOnce) {
  render_cache cache(10s);
  int renders = 0;
  auto render = [&] { return std::to_string(++renders); };
  cache.get(1, render);
  EXPECT_EQ(*cache.get(2, render), "2");
}

TEST(RenderCache, AnExpiredBodyIsRenderedAgain) {
  render_cache cache(1ms);
  int renders = 0;
  auto render = [&] { return std::to_string(++renders); };
  cache.get(1, render);
  std::this_thread::sleep_for(5ms);
  EXPECT_EQ(*cache.get(1, render), "2");
}

}  // namespace
}  // namespace arraycast
