#pragma once

#include <chrono>
#include <string>

#include <CLI/CLI.hpp>

#include "core/protocol.hpp"
#include "core/ws_endpoint.hpp"
#include "util/log.hpp"

namespace arraycast {

// A flag taking a duration with a unit (250us, 500ms, 2s); anything else is
// rejected with a message naming the flag. `at_least` bounds it from below.
CLI::Option* add_duration(CLI::App& app, const std::string& name, std::chrono::microseconds& target,
                          const std::string& description,
                          std::chrono::microseconds at_least = std::chrono::microseconds(1));

// --url, repeatable, each value a comma-separated list of ws:// or wss:// URLs: the
// nodes a client fails over between, in order. Each URL is validated, and a
// bad one named; given, the list replaces `target`'s default.
CLI::Option* add_urls(CLI::App& app, endpoint_list& target, const std::string& description);

// --ca FILE and --insecure: how a client checks a wss:// server.
void add_tls_trust(CLI::App& app, client_tls_options& target);

// --encoding json|binary: how the client wants its packets.
CLI::Option* add_encoding(CLI::App& app, protocol::encoding& target, const std::string& description);

// --log-level, validated against spdlog's level names, and --log-format.
void add_log_options(CLI::App& app, log_options& target);

}  // namespace arraycast
