#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "source/source_config.hpp"

namespace arraycast {

// The flags that choose and tune a source, shared by `serve --source` and
// `publish --from` (`flag` names the choosing flag). check_source() is
// called from the command's callback.
void add_source_options(CLI::App& cmd, source_config& cfg, const std::string& flag);
void check_source(const source_config& cfg, const std::string& flag);

}  // namespace arraycast
