#pragma once

#include <cstdint>
#include <vector>

namespace arraycast {

using array_t = std::vector<std::int64_t>;

// One packet of the stream: what a source produces and a client records.
struct packet {
  std::uint64_t seq = 0;       // 1 for the first packet of an epoch
  std::int64_t ts = 0;         // server time at generation, µs since the Unix epoch
  std::vector<array_t> arrays;

  friend bool operator==(const packet&, const packet&) = default;
};

}  // namespace arraycast
