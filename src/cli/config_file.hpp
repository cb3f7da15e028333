#pragma once

#include <functional>
#include <string>

#include <CLI/CLI.hpp>

namespace arraycast {

// --config FILE on a subcommand: every flag of that subcommand may be read
// from the file's section named for it (`[serve]`, `[record]`), TOML, or INI
// for a file ending in .ini; a flag on the command line wins over the file.
// An unknown key or a bad value is refused with the flag's own message.
// CLI11 (2.1) reads config files for the main app only: the option hands its
// file to the main app's reader, which fills subcommands by their sections.
void add_config_file(CLI::App& cmd);

// --print-config: set, the subcommand's action prints its effective
// configuration as a config file instead of running. Returns the flag.
CLI::Option* add_print_config(CLI::App& cmd);

// Makes `action` print the effective configuration of `cmd`, every flag
// included, as --config reads it.
void print_effective_config(const CLI::App& cmd, std::function<int()>& action);

// A config file's error in words: CLI11 says only "INI was not able to parse
// serve.bogus" for an unknown key, whatever the file's format.
std::string explain(const CLI::ConfigError& e);

}  // namespace arraycast
