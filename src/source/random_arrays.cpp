#include "source/random_arrays.hpp"

#include <array>
#include <random>

namespace arraycast {

random_arrays::random_arrays(random_params params, std::uint64_t seed)
    : params_(params), seed_(seed) {}

std::vector<array_t> random_arrays::arrays_for(std::uint64_t seq) const {
  // A fresh engine per packet, keyed by (seed, seq): packet N never depends on
  // N-1. seed_seq mixes the key; ranlux48_base has 12 words of state, so
  // seeding it per packet is cheap (mt19937_64's 312 words cost 25x more).
  std::seed_seq mix{static_cast<std::uint32_t>(seed_), static_cast<std::uint32_t>(seed_ >> 32),
                    static_cast<std::uint32_t>(seq), static_cast<std::uint32_t>(seq >> 32)};
  std::array<std::uint32_t, 2> key{};
  mix.generate(key.begin(), key.end());
  std::ranlux48_base engine((std::uint64_t{key[0]} << 32) | key[1]);
  std::uniform_int_distribution<std::int64_t> draw(params_.min, params_.max);

  std::vector<array_t> arrays(params_.arrays, array_t(params_.length));
  for (auto& a : arrays)
    for (auto& x : a) x = draw(engine);
  return arrays;
}

}  // namespace arraycast
