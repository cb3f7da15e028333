#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/frame.hpp"

namespace arraycast {

// The broker's stream holds each packet as the packet message clients get,
// with the seq the stream gives it (the producer publishes it as "the
// message after seq - 1"), or a gap message for that one seq when the source
// lost packets. A node turns each message back into a frame, encoded once.

// The frame for the message at stream seq `seq`. A message that is not a
// packet or gap of that very seq (a stranger published on the subject) is
// not sent on: it becomes a gap for that seq and `rejected` says why, so
// clients still see every seq accounted for.
struct stream_frame {
  frame_ptr f;
  std::optional<std::string> rejected;
};
stream_frame frame_of(std::uint64_t seq, std::string_view payload);

// The gap frame for seqs from..to, which this node cannot have (the stream
// no longer holds them, or they were never packets).
frame_ptr gap_frame(std::uint64_t from, std::uint64_t to, std::string reason);

}  // namespace arraycast
