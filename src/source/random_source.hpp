#pragma once

#include <cstdint>

#include "source/packet_source.hpp"

namespace arraycast {

struct random_params {
  std::size_t arrays = 5;
  std::size_t length = 10;
  std::int64_t min = 0;
  std::int64_t max = 99;  // inclusive
};

// A simulated sensor: uniform integers in [min, max]. The arrays of packet N
// depend only on (seed, N, params), so two runs with one seed agree packet by
// packet, and any packet can be regenerated without generating the others.
class random_source final : public packet_source {
public:
  random_source(random_params params, std::uint64_t seed);
  std::vector<array_t> arrays_for(std::uint64_t seq) override;

private:
  random_params params_;
  std::uint64_t seed_;
};

}  // namespace arraycast
