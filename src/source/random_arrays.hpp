#pragma once

#include <cstdint>
#include <vector>

#include "core/packet.hpp"

namespace arraycast {

struct random_params {
  std::size_t arrays = 5;
  std::size_t length = 10;
  std::int64_t min = 0;
  std::int64_t max = 99;  // inclusive
};

// A simulated sensor's readings: uniform integers in [min, max]. The arrays
// of packet N depend only on (seed, N, params), so two runs with one seed
// agree packet by packet, and any packet can be regenerated without
// generating the others.
class random_arrays {
public:
  random_arrays(random_params params, std::uint64_t seed);
  std::vector<array_t> arrays_for(std::uint64_t n) const;
  const random_params& params() const { return params_; }

private:
  random_params params_;
  std::uint64_t seed_;
};

}  // namespace arraycast
