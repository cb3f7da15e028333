#pragma once

#include <cstddef>
#include <exception>
#include <memory>
#include <mutex>
#include <vector>

#include "util/net.hpp"

namespace arraycast {

// The server's event loops: one io_context per thread. A connection is
// assigned to one loop for life, so everything it owns runs on one thread
// and needs no strand; a broadcast wakes each loop once, not each session.
class loop_pool {
public:
  explicit loop_pool(unsigned count);

  net::io_context& at(std::size_t i) { return *loops_[i]; }
  std::vector<net::io_context*> contexts();
  // Round-robin, for new connections. Called by the listener only.
  net::io_context& next();

  // Runs loop 0 on this thread and the others on their own; returns once
  // stop() was called and every thread finished. An exception escaping a
  // handler on any loop stops every loop, and run() rethrows it: the state
  // that handler left is unknown, so the process exits non-zero and its
  // supervisor restarts it, rather than serving on half a loop.
  void run();
  void stop();  // thread-safe
  // Destroys every loop, and with it every pending handler and the sessions
  // those handlers own. Call after run() returned, while the hub still exists.
  void destroy();

private:
  void run_loop(std::size_t i);

  using guard = net::executor_work_guard<net::io_context::executor_type>;
  std::vector<std::unique_ptr<net::io_context>> loops_;
  std::vector<guard> guards_;  // keeps a loop with no connections yet running
  std::size_t next_ = 0;       // listener thread only
  std::mutex failure_mutex_;   // guards failure_
  std::exception_ptr failure_; // the first exception that escaped a loop
};

}  // namespace arraycast
