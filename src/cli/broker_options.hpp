#pragma once

#include <CLI/CLI.hpp>

#include "server/server_config.hpp"

namespace arraycast {

// The flags that make `serve` a node of a broker's stream: --broker,
// --broker-stream, --relay, --standby, --broker-wait, --retain, --retain-for,
// --takeover-after.
void add_broker_options(CLI::App& cmd, broker_config& cfg);
// Throws CLI::ValidationError naming the flag when the combination makes no
// sense (a broker flag without --broker, a relay with a source, ...).
void check_broker(const server_config& cfg, const CLI::App& cmd);

}  // namespace arraycast
