#pragma once

#include <chrono>
#include <string>

#include "loadgen/bench_config.hpp"
#include "util/net.hpp"

namespace arraycast {

// The server `arraycast bench --spawn` runs itself: `/bin/sh -c "exec
// <command>"`, so the PID is the server's own. Its stdout goes to our stderr
// (our stdout is the report), and it gets SIGKILL if we die first. Main
// thread only (the parent-death signal is tied to the thread that forks).
class spawned_server {
public:
  spawned_server(const bench_config& cfg, tcp::endpoint listen);
  ~spawned_server();
  spawned_server(const spawned_server&) = delete;
  spawned_server& operator=(const spawned_server&) = delete;

  // Starts it and waits until it accepts TCP connections; throws, naming
  // --spawn, when it exits first or does not listen within listen_timeout.
  void start();
  // SIGKILL, no grace: the crash a storm measures. Reaps it.
  void kill();
  // SIGTERM, then SIGKILL after stop_timeout. Idempotent.
  void stop();

  int pid() const { return pid_; }

private:
  void do_spawn();
  void wait_listening();
  bool accepts() const;
  bool reap(int& status);

  const bench_config& cfg_;
  const tcp::endpoint listen_;
  int pid_ = 0;  // 0: not running
};

}  // namespace arraycast
