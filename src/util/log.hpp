#pragma once

#include <cstdint>
#include <string>

namespace arraycast {

// Names accepted by --log-level, most verbose first.
inline constexpr const char* log_levels = "trace, debug, info, warn, error, off";

// Installs the default logger, on stdout or stderr: one line per event,
// flushed as it is written (so a pipe or a file sees it at once), by a
// thread of its own. Logging never waits for the output: a caller only
// queues the line, and when the queue is full (the reader of the output
// fell behind) the oldest queued line is dropped and counted.
void setup_logging(const std::string& level, bool to_stderr);

// Lines dropped so far because the queue was full; 0 without setup_logging.
std::uint64_t log_lines_dropped();

// Writes out what is queued and stops the logging thread: before exit.
void stop_logging();

}  // namespace arraycast
