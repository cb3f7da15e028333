#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/packet.hpp"
#include "recorder/line_reader.hpp"
#include "recorder/sink.hpp"

namespace arraycast {

// A packet as a recording holds it.
struct recorded_packet {
  std::uint64_t line = 0;          // where it starts in the file, from 1
  std::uint64_t epoch = 0;
  std::uint64_t seq = 0;
  std::optional<std::int64_t> ts;  // the producer's time; txt does not record it
  std::int64_t recv_ts = 0;        // when the recorder received it
  std::vector<array_t> arrays;
};

// A connection event or a gap, as the sink wrote it (the detail escaped as in txt and csv).
struct recorded_event {
  std::uint64_t line = 0;
  record_event event;
};

// A line that is not part of a readable record: damaged, cut short by a
// crash (torn), or the lines of a packet whose end is missing.
struct unreadable_line {
  std::uint64_t line = 0;
  std::string why;
};

using recording_item = std::variant<recorded_packet, recorded_event, unreadable_line>;

// Reads a recording made by `arraycast record`, in any format, one item at
// a time in file order: only the packet being assembled is held in memory.
// The sinks' grammars (txt_sink, csv_sink) and event_text decide what a line
// is; this adds what a restart does not need: values and times.
class recording_reader {
public:
  // Throws std::runtime_error if the file cannot be read or its first line
  // is not one any format writes. An empty file reads as an empty recording.
  explicit recording_reader(const std::string& path);

  // The format a recording's first line shows, if it is a recording's.
  static std::optional<sink_format> detect(std::string_view first_line);

  sink_format format() const { return format_; }
  // The next item; empty at the end of the file.
  std::optional<recording_item> next();

private:
  void read(const line_reader::line& line);
  void read_txt(std::string_view text, std::uint64_t number);
  void read_csv(std::string_view text, std::uint64_t number);
  void read_jsonl(std::string_view text, std::uint64_t number);
  void add_array(std::string_view values, char separator, std::uint64_t number);
  void read_event(std::string_view text, std::uint64_t number);
  void finish_packet();
  void abandon_packet(std::string_view why);

  line_reader lines_;
  sink_format format_ = sink_format::txt;
  std::optional<line_reader::line> first_;   // read to detect the format, not yet decoded
  std::optional<recorded_packet> packet_;    // txt and csv: the packet whose lines are being read
  bool skipping_ = false;                    // txt: the rest of a damaged packet, up to its blank line
  std::deque<recording_item> ready_;
};

}  // namespace arraycast
