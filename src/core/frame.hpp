#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace arraycast {

// A packet serialized once for the wire. Every session, the history and the
// backplane share the same immutable frame; nobody copies `text`.
struct frame {
  std::uint64_t seq = 0;
  std::int64_t ts = 0;       // packet ts, kept for receipt logs without re-parsing
  std::size_t arrays = 0;    // array count, likewise
  std::string text;          // the JSON message, exactly as sent
};

using frame_ptr = std::shared_ptr<const frame>;

}  // namespace arraycast
