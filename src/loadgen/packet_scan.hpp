#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace arraycast {

// What the load generator needs from a packet, and nothing more.
struct packet_mark {
  std::uint64_t seq = 0;
  std::int64_t ts = 0;
};

// Finds "type":"packet", "seq" and "ts" in a server message without building
// a JSON DOM (bench/micro measures it against Boost.JSON). Whitespace around
// the colon is allowed, key order is not assumed. Anything that is not a
// packet, or lacks an integer seq or ts, gives nullopt. Pure: no allocation.
std::optional<packet_mark> scan_packet(std::string_view text);

}  // namespace arraycast
