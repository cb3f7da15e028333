#pragma once

#include <cstdint>
#include <string>

namespace arraycast {

// Names accepted by --log-level, most verbose first.
inline constexpr const char* log_levels = "trace, debug, info, warn, error, off";

// Who logs, and so how.
// server: on stdout, by a thread of its own. No event loop ever waits for the
//   output: a caller only queues the line, and when the queue is full (the
//   reader of the output fell behind) the oldest queued line is dropped and
//   counted.
// client (record): on stderr, written at once. It logs a few lines per
//   connection on one thread, and its stdout stays free.
enum class log_mode { server, client };

// text: for people ("2026-11-30 20:10:00.123 info ..."). json: for log
// collectors, one object per line: {"time": UTC RFC 3339, "level", "message"}.
enum class log_format { text, json };

// --log-level and --log-format.
struct log_options {
  std::string level = "info";
  log_format format = log_format::text;
};

// Installs the default logger: one line per event, flushed as it is written
// (so a pipe or a file sees it at once).
void setup_logging(const log_options& options, log_mode mode);

// Lines dropped so far because the queue was full; 0 without a server logger.
std::uint64_t log_lines_dropped();

// Writes out what is queued and stops the logging thread: before exit.
void stop_logging();

}  // namespace arraycast
