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
// Contract: called from one thread. Every call appends whole lines and hands
// them to the OS before it returns, so a crash of the process loses nothing
// already written and never leaves half a line; the file is opened for
// appending, and a torn last line left by an earlier crash is cut off first.
class sink {
public:
  virtual ~sink() = default;
  virtual void write_packet(const packet& p, std::uint64_t epoch, std::int64_t recv_ts) = 0;
  virtual void write_event(const record_event& e) = 0;
  // What the file already holds, when the format records epochs (jsonl).
  virtual std::optional<resume_point> resume() const { return std::nullopt; }
};

enum class sink_format { txt, jsonl, csv };

std::optional<sink_format> parse_format(const std::string& name);
sink_format format_for_path(const std::string& path);  // by extension, else txt
std::unique_ptr<sink> make_sink(sink_format format, const std::string& path);

// Shared by the text-like formats.
std::string format_seconds(std::int64_t us);           // 1764000000.123456
std::string describe(const record_event& e);           // "connected to ws://…", "gap: …"

}  // namespace arraycast
