#pragma once

#include <memory>

#include "client/client_config.hpp"
#include "core/failover.hpp"
#include "util/net.hpp"

namespace arraycast {

class recorder;
class ws_client;
struct connection_end;

// Keeps one ws_client connected: after every lost connection it writes one
// "disconnected" event, waits as core/failover says (a jittered backoff, or
// nothing for the first move to another node) and tries the next --url node,
// one attempt at a time, until stop() or --max-retries failed attempts.
class reconnector {
public:
  reconnector(net::any_io_executor ex, const record_config& config, recorder& rec);
  ~reconnector();

  // Returns the process exit code: 0 after stop(), 1 when it gave up.
  net::awaitable<int> run();
  // The first call closes the connection in order (or abandons the step in
  // progress); a later one cuts it without waiting for the server.
  void stop();

private:
  net::awaitable<connection_end> attempt();

  net::any_io_executor ex_;
  const record_config& config_;
  recorder& rec_;
  failover failover_;  // which node next, and the backoff
  net::steady_timer timer_;
  ws_client* current_ = nullptr;  // the connection in progress, if any (owned by attempt())
  bool stopping_ = false;
};

}  // namespace arraycast
