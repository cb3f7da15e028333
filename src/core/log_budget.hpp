#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace arraycast {

// A flood guard for log lines that an outsider controls (a command's
// stderr): at most `per_period` lines are logged in each period, the rest
// only counted, and the count reported with the first line of the next
// period. Pure and single-threaded; the time is passed in.
class log_budget {
public:
  using clock = std::chrono::steady_clock;

  struct verdict {
    bool log = false;            // log this line
    std::uint64_t held_back = 0; // lines not logged in the period that just ended; say so first
  };

  log_budget(std::size_t per_period, clock::duration period) : per_period_(per_period), period_(period) {}

  verdict take(clock::time_point now);
  // Lines held back in the current period (to report at the end).
  std::uint64_t held_back() const { return held_back_; }

private:
  std::size_t per_period_;
  clock::duration period_;
  clock::time_point start_{};
  std::size_t used_ = 0;
  std::uint64_t held_back_ = 0;
};

}  // namespace arraycast
