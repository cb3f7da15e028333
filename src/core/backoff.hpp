#pragma once

#include <chrono>
#include <functional>

namespace arraycast {

// Exponential backoff with jitter: attempt n waits a uniform draw from
// [d/2, d] where d = min(initial * 2^n, cap). The jitter source is injected
// (a function returning a value in [0, 1)) so tests are deterministic.
class backoff {
public:
  using duration = std::chrono::milliseconds;
  using jitter_fn = std::function<double()>;

  backoff(duration initial, duration cap, jitter_fn jitter);

  duration next();             // delay before the next attempt; grows each call
  void reset() { attempt_ = 0; }
  unsigned attempt() const { return attempt_; }

private:
  duration initial_;
  duration cap_;
  jitter_fn jitter_;
  unsigned attempt_ = 0;
};

// The jitter for real use: uniform in [0, 1), seeded per process.
backoff::jitter_fn uniform_jitter();

}  // namespace arraycast
