#include "source/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <system_error>

#include <fmt/format.h>

extern char** environ;

namespace arraycast {

namespace {

[[noreturn]] void fail(int error, const char* what) { throw std::system_error(error, std::system_category(), what); }

// Both ends close-on-exec: the child's end is dup2'd onto 1 or 2, which clears the flag there only.
std::array<int, 2> make_pipe() {
  std::array<int, 2> fds{};
  if (::pipe2(fds.data(), O_CLOEXEC) != 0) fail(errno, "pipe2");
  return fds;
}

// RAII for the spawn attributes, which hold memory of their own.
struct spawn_setup {
  posix_spawn_file_actions_t actions{};
  posix_spawnattr_t attr{};

  spawn_setup(int out, int err) {
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out, 1);
    posix_spawn_file_actions_adddup2(&actions, err, 2);
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    posix_spawnattr_init(&attr);
    // A group of its own; no signal blocked or ignored because we block or ignore it.
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setpgroup(&attr, 0);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
  }
  ~spawn_setup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  spawn_setup(const spawn_setup&) = delete;
  spawn_setup& operator=(const spawn_setup&) = delete;
};

}  // namespace

child_process spawn_shell(const std::string& command) {
  const auto out = make_pipe();
  const auto err = make_pipe();
  child_process c;
  {
    spawn_setup setup(out[1], err[1]);
    std::string sh = "sh", dash_c = "-c", cmd = command;
    std::array<char*, 4> argv{sh.data(), dash_c.data(), cmd.data(), nullptr};
    const int e = ::posix_spawn(&c.pid, "/bin/sh", &setup.actions, &setup.attr, argv.data(), environ);
    ::close(out[1]);
    ::close(err[1]);
    if (e != 0) {
      ::close(out[0]);
      ::close(err[0]);
      fail(e, "posix_spawn /bin/sh");
    }
  }
  c.stdout_fd = out[0];
  c.stderr_fd = err[0];
  // The raw call: glibc 2.36 declares pidfd_open without C linkage. Close-on-exec by definition.
  c.exit_fd = static_cast<int>(::syscall(SYS_pidfd_open, c.pid, 0));
  if (c.exit_fd < 0) {
    const int e = errno;
    terminate_group(c.pid, -1, std::chrono::milliseconds(0));
    ::close(c.stdout_fd);
    ::close(c.stderr_fd);
    fail(e, "pidfd_open");
  }
  return c;
}

int try_reap(pid_t pid) {
  int status = 0;
  const pid_t r = ::waitpid(pid, &status, WNOHANG);
  return r == pid ? status : -1;
}

int terminate_group(pid_t pid, int exit_fd, std::chrono::milliseconds grace) {
  ::kill(-pid, SIGTERM);
  if (exit_fd >= 0) {
    pollfd p{exit_fd, POLLIN, 0};
    while (::poll(&p, 1, static_cast<int>(grace.count())) < 0 && errno == EINTR) {
    }
  }
  if (const int status = try_reap(pid); status >= 0) return status;
  ::kill(-pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

std::string describe_status(int status) {
  if (WIFEXITED(status)) return fmt::format("exited with status {}", WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return fmt::format("killed by signal {} ({})", WTERMSIG(status), ::sigdescr_np(WTERMSIG(status)));
  return fmt::format("ended with wait status {}", status);
}

bool exited_cleanly(int status) { return WIFEXITED(status) && WEXITSTATUS(status) == 0; }

}  // namespace arraycast
