#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "core/frame.hpp"

namespace arraycast {

// Where a node finds frames older than its in-memory history: the broker's
// stream, which keeps far more. A single node has none, and a resume that
// reaches past its history gets a gap, as it always did.
//
// Contract: fetch() returns at once; `done` runs later, on any thread, with
// the frames for seqs from..to in seq order and nothing left out: what the
// archive no longer holds comes as gap frames.
class archive {
public:
  using done_fn = std::function<void(std::vector<frame_ptr>)>;
  virtual ~archive() = default;
  virtual void fetch(std::uint64_t from, std::uint64_t to, done_fn done) = 0;
};

}  // namespace arraycast
