#pragma once

#include <chrono>
#include <string>

#include <CLI/CLI.hpp>

#include "core/protocol.hpp"

namespace arraycast {

// A flag taking a duration with a unit (250us, 500ms, 2s); anything else is
// rejected with a message naming the flag. `at_least` bounds it from below.
CLI::Option* add_duration(CLI::App& app, const std::string& name, std::chrono::microseconds& target,
                          const std::string& description,
                          std::chrono::microseconds at_least = std::chrono::microseconds(1));

// A ws:// URL split for Asio and Beast.
struct ws_url {
  std::string host;
  std::string port;
  std::string target;
};

// Parses `url`, or throws a CLI::ValidationError naming `flag` and what is wrong.
ws_url parse_ws_url(const std::string& flag, const std::string& url);

// --encoding json|binary: how the client wants its packets.
CLI::Option* add_encoding(CLI::App& app, protocol::encoding& target, const std::string& description);

// --log-level, validated against spdlog's level names.
CLI::Option* add_log_level(CLI::App& app, std::string& target);

}  // namespace arraycast
