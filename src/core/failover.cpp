#include "core/failover.hpp"

#include <utility>

namespace arraycast {

failover::failover(std::size_t endpoints, std::size_t first, backoff delays)
    : count_(endpoints), current_(first % endpoints), delays_(std::move(delays)) {}

backoff::duration failover::next(bool was_connected) {
  current_ = (current_ + 1) % count_;
  if (was_connected && count_ > 1 && std::exchange(may_rush_, false)) return backoff::duration::zero();
  return delays_.next();
}

void failover::reset() {
  delays_.reset();
  may_rush_ = true;
}

}  // namespace arraycast
