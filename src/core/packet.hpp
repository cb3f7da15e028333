#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace arraycast {

using array_t = std::vector<std::int64_t>;

// The most values one packet may carry, all arrays together: a few MB of
// JSON, encoded once and held by history and every queue. Beyond it a packet
// is not a stream's packet but a file transfer, and would exhaust memory.
inline constexpr std::size_t max_packet_values = 1'000'000;

// One packet of the stream: what a source produces and a client records.
struct packet {
  std::uint64_t seq = 0;       // 1 for the first packet of an epoch
  std::int64_t ts = 0;         // server time at generation, µs since the Unix epoch
  std::vector<array_t> arrays;

  friend bool operator==(const packet&, const packet&) = default;
};

}  // namespace arraycast
