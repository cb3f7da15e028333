#pragma once

#include <cstdint>
#include <vector>

#include "core/packet.hpp"

namespace arraycast {

// Where the stream's numbers come from.
//
// Contract: the stream calls arrays_for() from one thread at a time (its
// strand), once per packet, with seq = 1, 2, 3, ... for an epoch. The stream,
// not the source, stamps seq and ts and serializes. A source that can replay
// (a seeded simulation) returns the same arrays for the same seq; a live
// source (stdin, a serial device) ignores seq and returns what it has now.
class packet_source {
public:
  virtual ~packet_source() = default;
  virtual std::vector<array_t> arrays_for(std::uint64_t seq) = 0;
};

}  // namespace arraycast
