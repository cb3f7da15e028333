#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "util/net.hpp"

namespace arraycast {

// A host name lookup that a stop request can abandon at once.
//
// getaddrinfo() cannot be interrupted: Asio's resolver runs it on a private
// thread, completes a cancelled lookup only once it returns, and joins that
// thread when its io_context goes away, so a name server that never answers
// would hold a stop (and the exit) for as long as the lookup hangs. Here each
// lookup runs on a detached thread of its own and hands its result back to
// the executor only while someone still waits for it; an abandoned one ends
// with the process at the latest.
class lookup {
public:
  explicit lookup(net::any_io_executor ex);
  ~lookup();
  lookup(const lookup&) = delete;
  lookup& operator=(const lookup&) = delete;

  // Throws boost::system::system_error: the lookup's own error, timed_out
  // after `timeout`, or operation_aborted after abandon().
  net::awaitable<tcp::resolver::results_type> resolve(const std::string& host, const std::string& port,
                                                      std::chrono::steady_clock::duration timeout);
  // Ends resolve() now; its thread's result, whenever it comes, is dropped.
  void abandon();

private:
  struct handoff;
  void finish(boost::system::error_code ec, tcp::resolver::results_type results);

  net::any_io_executor ex_;
  net::steady_timer done_;  // the timeout; cancelled when the result is in or the wait abandoned
  std::shared_ptr<handoff> handoff_;
  boost::system::error_code ec_;
  tcp::resolver::results_type results_;
  bool finished_ = false;
};

}  // namespace arraycast
