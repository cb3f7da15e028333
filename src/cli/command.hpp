#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace arraycast {

// What a subcommand leaves behind after parsing: the work to run, returning
// the process exit code. Parsing validates; running does.
using command_action = std::function<int()>;

void add_serve_command(CLI::App& app, command_action& action);
void add_record_command(CLI::App& app, command_action& action);
void add_bench_command(CLI::App& app, command_action& action);
void add_verify_command(CLI::App& app, command_action& action);
void add_publish_command(CLI::App& app, command_action& action);
void add_token_command(CLI::App& app, command_action& action);

}  // namespace arraycast
