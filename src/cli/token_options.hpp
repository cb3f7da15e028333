#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace arraycast {

// --token and --token-file (one or the other): the Bearer token a client
// sends with its upgrade to a server started with --auth. The file is read
// at once, its trailing newline dropped; --token-file keeps the token out of
// `ps` and the shell's history.
void add_token_options(CLI::App& cmd, std::string& token);

// The first line of a file, without its line ending: a token or a secret.
// Throws CLI::ValidationError naming `flag` when it cannot be read or is empty.
std::string read_secret_line(const std::string& path, const std::string& flag);

}  // namespace arraycast
