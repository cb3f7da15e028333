#pragma once

#include "server/server_config.hpp"

namespace arraycast {

// The composition root of `arraycast serve`: builds source, stream,
// backplane, hub and listener, runs the event loops, and returns after
// SIGINT/SIGTERM once every connection is gone: clients (and /echo) are sent
// close 1001, connections that never upgraded are cut at once, and whatever
// is left after a 3 s grace period is cut too.
// Throws std::runtime_error when it cannot start (e.g. the port is taken).
void run_server(const server_config& config);

}  // namespace arraycast
