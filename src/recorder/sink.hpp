#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/packet.hpp"

namespace arraycast {

// Something that happened to the connection, recorded between packets.
struct record_event {
  enum class kind { connected, disconnected, gap };
  kind what = kind::connected;
  std::int64_t time = 0;               // µs since the Unix epoch, local clock
  std::string detail;                  // url (connected), reason (disconnected, gap)
  std::uint64_t from = 0;              // gap: first missing seq
  std::optional<std::uint64_t> to;     // gap: last missing seq; empty: to the end of that epoch
};

// Where a recording resumes: the last packet the file holds.
struct resume_point {
  std::uint64_t epoch = 0;
  std::uint64_t last_seq = 0;
};

// A recording file in one format.
//
// Contract: called from one thread. Every call appends one whole record (a
// packet with all its lines, or one event) in one buffer, handed to the OS
// before it returns: a crash of the process loses nothing already written and
// leaves no partial record (see line_file for what a failed write does). The
// file is opened for appending under an exclusive lock; a file that is not a
// recording of this format is refused untouched, and a partial record left at
// its end by an earlier crash is cut off first (see recording_file).
class sink {
public:
  virtual ~sink() = default;
  virtual void write_packet(const packet& p, std::uint64_t epoch, std::int64_t recv_ts) = 0;
  virtual void write_event(const record_event& e) = 0;
  // Where the file stands: its last packet, past any gap recorded after it.
  // Every format records epoch and seq, so a restart resumes from the file.
  virtual std::optional<resume_point> resume() const = 0;
};

enum class sink_format { txt, jsonl, csv };

std::optional<sink_format> parse_format(const std::string& name);
sink_format format_for_path(const std::string& path);  // by extension, else txt
std::unique_ptr<sink> make_sink(sink_format format, const std::string& path);

}  // namespace arraycast
