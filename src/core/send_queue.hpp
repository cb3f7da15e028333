#pragma once

#include <cstddef>
#include <vector>

#include "core/frame.hpp"

namespace arraycast {

// The frames one session has yet to write: a batch on the wire (one gather
// write) and those waiting for the next. Only live packets count toward the
// slow-consumer limit; the welcome, gaps, errors and a resume's replay are
// owed to the client whatever its speed, so they are exempt.
// Not synchronized: the session's loop only.
class send_queue {
public:
  void push(frame_ptr f, bool exempt);
  // Exempt frames that must go out before everything pushed since
  // position() was taken: a resume's part fetched from an archive while
  // replay and live frames queued behind it. No batch may start in between.
  std::size_t position() const { return waiting_.size(); }
  void insert(std::size_t position, const std::vector<frame_ptr>& frames);

  // Moves everything waiting into the batch, which must be empty; returns it.
  const std::vector<frame_ptr>& start_batch();
  // The batch went out: forgets it, and returns its memory when it was large.
  void finish_batch();

  const std::vector<frame_ptr>& batch() const { return batch_; }
  bool writing() const { return !batch_.empty(); }
  bool has_waiting() const { return !waiting_.empty(); }
  std::size_t size() const { return batch_.size() + waiting_.size(); }
  // Live packets queued, the batch included: what max_queue limits.
  std::size_t live() const { return size() - exempt_waiting_ - exempt_in_batch_; }

private:
  // Vectors, not a deque, which allocates 512 bytes even when empty: an idle
  // session holds no queue memory at all.
  std::vector<frame_ptr> batch_;
  std::vector<frame_ptr> waiting_;
  std::size_t exempt_in_batch_ = 0;
  std::size_t exempt_waiting_ = 0;
};

}  // namespace arraycast
