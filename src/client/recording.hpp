#pragma once

#include "client/client_config.hpp"

namespace arraycast {

// The composition root of `arraycast record`: opens the sink, runs the
// reconnector until SIGINT/SIGTERM (exit code 0) or until it gives up (1).
// Throws std::runtime_error when the output file cannot be opened.
int run_recording(const record_config& config);

}  // namespace arraycast
