#include "source/exec_source.hpp"

#include <thread>

#include <gtest/gtest.h>

#include "source_sink.hpp"

namespace arraycast {
namespace {

using namespace std::chrono_literals;

source_config config(restart_policy restart) {
  source_config c;
  c.restart = restart;
  c.restart_initial = 1ms;
  return c;
}

// The run is over when the command has exited AND its output is read: the
// last packet comes before ended(), however the two arrive.
TEST(exec_source, a_command_that_finishes_ends_the_source_after_its_last_packet) {
  net::io_context ioc;
  test::collecting_sink sink;
  exec_source source(ioc, config(restart_policy::on_failure), "echo '1 2'; echo oops >&2; printf '[[3.5]]'");
  source.start(sink);
  ioc.run_for(5s);  // returns once nothing is left to do
  EXPECT_EQ(sink.wait_ended(), 1);
  EXPECT_EQ(sink.packets(), (std::vector<std::vector<array_t>>{{{1, 2}}, {{3.5}}}));
}

TEST(exec_source, always_restarts_until_stopped) {
  net::io_context ioc;
  test::collecting_sink sink;
  exec_source source(ioc, config(restart_policy::always), "echo 7");
  source.start(sink);
  std::thread loop([&] { ioc.run_for(10s); });
  for (int i = 0; i < 500 && sink.packets().size() < 3; ++i) std::this_thread::sleep_for(10ms);
  source.stop();
  const auto after_stop = sink.packets().size();
  ioc.stop();
  loop.join();
  EXPECT_GE(after_stop, 3u);
  EXPECT_EQ(sink.packets().size(), after_stop) << "nothing is pushed after stop()";
  EXPECT_EQ(sink.ended_count(), 0);
}

TEST(exec_source, never_runs_a_failing_command_once) {
  net::io_context ioc;
  test::collecting_sink sink;
  exec_source source(ioc, config(restart_policy::never), "echo 1; exit 3");
  source.start(sink);
  ioc.run_for(5s);
  EXPECT_EQ(sink.wait_ended(), 1);
  EXPECT_EQ(sink.packets().size(), 1u);
}

}  // namespace
}  // namespace arraycast
