#pragma once

#include <cstddef>

#include "core/backoff.hpp"

namespace arraycast {

// Which of n endpoints a client tries next, and how long it waits first.
// Pure: the client owns the sockets, this only counts.
//
// Every ended attempt moves on to the next endpoint, round robin. The wait
// before it is the jittered backoff, which grows while attempts keep
// failing, with one exception: the first attempt after a connection that had
// proved itself (since construction or reset()) goes to the next node at once,
// as that node is likely up while the lost one is likely down. A connection
// that drops again before proving itself is not rewarded, so a flapping or
// dead cluster is tried at the backoff's pace: a whole failed round of n
// attempts costs at least n - 1 delays. With one endpoint it is plain backoff.
class failover {
public:
  failover(std::size_t endpoints, std::size_t first, backoff delays);

  std::size_t current() const { return current_; }
  // The attempt on current() ended: moves on, and returns the wait before the next.
  backoff::duration next(bool was_connected);
  // A connection proved itself (it held): the backoff starts over, and
  // losing it moves on at once.
  void reset();

private:
  std::size_t count_;
  std::size_t current_;
  backoff delays_;
  bool may_rush_ = true;  // the next lost connection may move on without waiting
};

}  // namespace arraycast
