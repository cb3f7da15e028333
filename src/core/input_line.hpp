#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/packet.hpp"

namespace arraycast {

// A packet as a producer writes it on one line.
struct input_packet {
  std::vector<array_t> arrays;
  std::optional<std::int64_t> ts;  // µs since the Unix epoch, when the line gives one
};

// Reads one line in any of the producer formats: a JSON array of arrays
// (`[[1,2],[3.5]]`), a JSON object with "arrays" and optionally "ts" (a
// line of a jsonl recording is one), or numbers separated by spaces, tabs or
// commas, which make a packet of one array. Returns why not, otherwise.
std::variant<input_packet, std::string> read_input_line(std::string_view line);

}  // namespace arraycast
