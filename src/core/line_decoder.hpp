#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/packet.hpp"
#include "core/reject_reason.hpp"

namespace arraycast {

// How the lines of a producer (stdin, a command, a serial port, a datagram)
// are read. `automatic` accepts every form below; the others only theirs.
enum class input_format { automatic, json, numbers };

// A packet read from input, before the stream numbers it.
struct input_packet {
  std::vector<array_t> arrays;
  std::optional<std::int64_t> ts;  // the producer's own, µs since the Unix epoch
  friend bool operator==(const input_packet&, const input_packet&) = default;
};

struct input_rejection {
  reject_reason reason;
  std::string detail;
};

// Nothing yet (a line of an unfinished group, a blank or `#` line, a
// recording's event line), a packet, or why the line is not one.
using line_result = std::variant<std::monostate, input_packet, input_rejection>;

// Turns producer lines into packets. Accepted lines:
//   [[1,2,3],[4.5,6]]                 a JSON array of arrays: one packet
//   {"arrays":[[1,2]],"ts":17640...}  a JSON object with arrays and optional ts
//                                     (so `arraycast record`'s jsonl reads back)
//   1 2 3  |  1,2,3  |  [1,2,3]       numbers: one array; `group` such lines
//                                     make one packet of `group` arrays
// Pure and single-threaded: one decoder per input.
class line_decoder {
public:
  explicit line_decoder(input_format format = input_format::automatic, std::size_t group = 1);

  // One line, without its line ending (a trailing '\r' is ignored).
  line_result feed(std::string_view line);

private:
  line_result feed_json(std::string_view line);
  line_result feed_numbers(std::string_view line);
  line_result add_to_group(array_t a);

  input_format format_;
  std::size_t group_;
  std::vector<array_t> pending_;  // the unfinished group
  std::size_t pending_values_ = 0;
};

std::optional<input_format> parse_input_format(std::string_view name);

}  // namespace arraycast
