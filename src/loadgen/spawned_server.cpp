#include "loadgen/spawned_server.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

namespace arraycast {

namespace {

constexpr auto poll_interval = std::chrono::milliseconds(10);

std::string describe(int status) {
  if (WIFEXITED(status)) return fmt::format("exited with status {}", WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return fmt::format("was killed by signal {}", WTERMSIG(status));
  return "stopped";
}

}  // namespace

spawned_server::spawned_server(const bench_config& cfg, tcp::endpoint listen) : cfg_(cfg), listen_(std::move(listen)) {}

spawned_server::~spawned_server() { stop(); }

void spawned_server::start() {
  do_spawn();
  wait_listening();
}

// fork, not posix_spawn: the child must set its parent-death signal before
// exec. Between fork and exec it calls only async-signal-safe functions, as
// the parent may have other threads by now (the respawn of a storm).
void spawned_server::do_spawn() {
  const std::string script = fmt::format("exec {}", cfg_.spawn);
  const char* argv[] = {"/bin/sh", "-c", script.c_str(), nullptr};
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(fmt::format("--spawn: fork failed: {}", std::strerror(errno)));
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);  // the parent died before prctl took effect
    ::dup2(STDERR_FILENO, STDOUT_FILENO);
    ::execv("/bin/sh", const_cast<char* const*>(argv));
    ::_exit(127);
  }
  pid_ = pid;
}

void spawned_server::wait_listening() {
  const auto deadline = std::chrono::steady_clock::now() + cfg_.listen_timeout;
  for (;;) {
    int status = 0;
    if (reap(status))
      throw std::runtime_error(fmt::format("--spawn: the server {} before it listened on port {}: {}", describe(status),
                                           listen_.port(), cfg_.spawn));
    if (accepts()) return;
    if (std::chrono::steady_clock::now() >= deadline) {
      stop();
      throw std::runtime_error(fmt::format("--spawn: the server did not accept connections on port {} within {} ms: {}",
                                           listen_.port(),
                                           std::chrono::duration_cast<std::chrono::milliseconds>(cfg_.listen_timeout).count(),
                                           cfg_.spawn));
    }
    std::this_thread::sleep_for(poll_interval);
  }
}

// One TCP connect, closed at once: on loopback a refusal is immediate.
bool spawned_server::accepts() const {
  net::io_context ioc;
  tcp::socket s(ioc);
  beast::error_code ec;
  s.connect(listen_, ec);
  return !ec;
}

// True (and pid_ cleared) once the child has exited.
bool spawned_server::reap(int& status) {
  if (pid_ == 0) return true;
  if (::waitpid(pid_, &status, WNOHANG) != pid_) return false;
  pid_ = 0;
  return true;
}

void spawned_server::kill() {
  if (pid_ == 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = 0;
}

void spawned_server::stop() {
  if (pid_ == 0) return;
  ::kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + cfg_.stop_timeout;
  int status = 0;
  while (!reap(status)) {
    if (std::chrono::steady_clock::now() >= deadline) return kill();
    std::this_thread::sleep_for(poll_interval);
  }
}

}  // namespace arraycast
