#pragma once

#include <string>

namespace arraycast {

// Names accepted by --log-level, most verbose first.
inline constexpr const char* log_levels = "trace, debug, info, warn, error, off";

// Installs the default logger: one line per event, flushed as it is written
// (so a pipe or a file sees it at once), on stdout or stderr.
void setup_logging(const std::string& level, bool to_stderr);

}  // namespace arraycast
