#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "core/frame.hpp"
#include "core/protocol.hpp"

namespace arraycast {

// What a resuming client gets: the gaps announced for what is gone, then the
// frames still held, oldest first. Both empty when nothing was missed.
struct resume_plan {
  std::vector<protocol::gap> gaps;
  // Seqs older than the history holds, to fetch from an archive (a broker's
  // stream) where there is one; without, they are a gap in `gaps`. They go
  // out after the gaps and before the replay.
  std::optional<protocol::gap> archived;
  std::vector<frame_ptr> replay;
  std::uint64_t first_live = 1;  // live frames below this seq are replayed, or predate the client
};

// The last `capacity` frames of one epoch, in seq order, for replay after a
// reconnect. Not synchronized: the hub guards it with its mutex.
class history {
public:
  explicit history(std::size_t capacity) : capacity_(capacity) {}

  // The reason of the gap for what is older than the history holds.
  static constexpr const char* gone = "history";

  // Frames arrive in rising seq order from 1; a gap frame stands for the
  // seqs it covers, so together they leave no seq out.
  void push(frame_ptr f);

  std::uint64_t head() const { return head_; }
  std::size_t capacity() const { return capacity_; }
  std::size_t size() const { return frames_.size(); }

  // The plan for a client of this epoch whose last recorded packet is `last_seq`
  // (0: none yet). A client claiming a seq beyond head is given nothing.
  resume_plan resume_from(std::uint64_t last_seq) const;

private:
  std::size_t capacity_;
  std::uint64_t head_ = 0;
  std::deque<frame_ptr> frames_;
};

}  // namespace arraycast
