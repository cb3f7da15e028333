#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>

namespace arraycast {

// A token bucket kept as one time point, the moment it is full again (the
// generic cell rate algorithm): a token costs `interval`, and the bucket
// holds `burst` of them. Pure and single-threaded; the time is passed in.
class token_bucket {
public:
  using clock = std::chrono::steady_clock;
  struct shape {
    clock::duration interval{};  // one token is earned back per interval
    std::size_t burst = 1;       // tokens when full, at least 1
  };

  // Takes a token if there is one.
  bool try_take(const shape& s, clock::time_point now) {
    if (wait(s, now) > clock::duration::zero()) return false;
    full_at_ = std::max(full_at_, now) + s.interval;
    return true;
  }
  // How long until a token is there: zero if one is now.
  clock::duration wait(const shape& s, clock::time_point now) const {
    const auto owed = std::max(full_at_, now) - now;
    const auto tolerated = s.interval * static_cast<clock::rep>(std::max<std::size_t>(s.burst, 1) - 1);
    return std::max(owed - tolerated, clock::duration::zero());
  }
  // Full: forgetting this bucket and starting a new one changes nothing.
  bool full(clock::time_point now) const { return full_at_ <= now; }

private:
  clock::time_point full_at_{};
};

}  // namespace arraycast
