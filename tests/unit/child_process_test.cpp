#include "source/child_process.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <set>
#include <string>

#include <gtest/gtest.h>

namespace arraycast {
namespace {

using namespace std::chrono_literals;

std::string read_to_end(int fd) {
  std::string text;
  char buf[256];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) text.append(buf, static_cast<std::size_t>(n));
  return text;
}

// Processes of group `pgid` that still run (not zombies waiting for init).
int live_members(pid_t pgid) {
  int live = 0;
  for (const auto& e : std::filesystem::directory_iterator("/proc")) {
    std::ifstream stat(e.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    std::istringstream rest(line.substr(line.rfind(')') + 2));  // after "pid (comm) "
    char state = 0;
    pid_t ppid = 0, pgrp = 0;
    rest >> state >> ppid >> pgrp;
    live += pgrp == pgid && state != 'Z';
  }
  return live;
}

void close_all(const child_process& c) {
  ::close(c.stdout_fd);
  ::close(c.stderr_fd);
  ::close(c.exit_fd);
}

TEST(child_process, runs_a_shell_command_with_its_output_on_pipes) {
  const auto c = spawn_shell("echo out; echo err >&2; exit 3");
  EXPECT_EQ(read_to_end(c.stdout_fd), "out\n");
  EXPECT_EQ(read_to_end(c.stderr_fd), "err\n");
  pollfd p{c.exit_fd, POLLIN, 0};
  ASSERT_EQ(::poll(&p, 1, 5000), 1) << "the pidfd becomes readable at exit";
  const int status = try_reap(c.pid);
  ASSERT_GE(status, 0);
  EXPECT_FALSE(exited_cleanly(status));
  EXPECT_EQ(describe_status(status), "exited with status 3");
  close_all(c);
}

// The server's listening socket, its clients': not the command's business.
TEST(child_process, inherits_no_descriptor_but_stdio) {
  const int inheritable = ::socket(AF_INET, SOCK_STREAM, 0);  // no SOCK_CLOEXEC, as Asio opens them
  ASSERT_GE(inheritable, 0);
  const auto c = spawn_shell("sleep 30");
  std::set<std::string> fds;
  for (const auto& e : std::filesystem::directory_iterator("/proc/" + std::to_string(c.pid) + "/fd"))
    fds.insert(e.path().filename().string());
  EXPECT_EQ(fds, (std::set<std::string>{"0", "1", "2"}));
  EXPECT_EQ(std::filesystem::read_symlink("/proc/" + std::to_string(c.pid) + "/fd/0"), "/dev/null");
  terminate_group(c.pid, c.exit_fd, 1s);
  close_all(c);
  ::close(inheritable);
}

TEST(child_process, terminate_stops_the_whole_pipeline_and_reaps_it) {
  const auto c = spawn_shell("sleep 30 | sleep 30");
  const int status = terminate_group(c.pid, c.exit_fd, 1s);
  EXPECT_EQ(describe_status(status).rfind("killed by signal 15", 0), 0u) << describe_status(status);
  EXPECT_EQ(try_reap(c.pid), -1) << "already reaped";
  for (int i = 0; i < 100 && live_members(c.pid) > 0; ++i) ::usleep(10'000);  // the signal takes a moment
  EXPECT_EQ(live_members(c.pid), 0) << "a member of the pipeline survived";
  close_all(c);
}

TEST(child_process, a_command_that_ignores_sigterm_is_killed_after_the_grace) {
  const auto c = spawn_shell("trap '' TERM; sleep 30");
  ::usleep(100'000);  // let the shell install its trap
  const auto begin = std::chrono::steady_clock::now();
  const int status = terminate_group(c.pid, c.exit_fd, 200ms);
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 2s);
  EXPECT_EQ(describe_status(status).rfind("killed by signal 9", 0), 0u) << describe_status(status);
  close_all(c);
}

}  // namespace
}  // namespace arraycast
