#include "core/log_budget.hpp"

#include <utility>

namespace arraycast {

log_budget::verdict log_budget::take(clock::time_point now) {
  verdict v;
  if (now - start_ >= period_) {
    start_ = now;
    used_ = 0;
    v.held_back = std::exchange(held_back_, 0);
  }
  v.log = used_ < per_period_;
  if (v.log)
    ++used_;
  else
    ++held_back_;
  return v;
}

}  // namespace arraycast
