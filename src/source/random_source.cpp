#include "source/random_source.hpp"

#include <random>

namespace arraycast {

random_source::random_source(random_params params, std::uint64_t seed)
    : params_(params), seed_(seed) {}

std::vector<array_t> random_source::arrays_for(std::uint64_t seq) {
  // A fresh engine per packet, keyed by (seed, seq): packet N never depends on N-1.
  std::seed_seq key{static_cast<std::uint32_t>(seed_), static_cast<std::uint32_t>(seed_ >> 32),
                    static_cast<std::uint32_t>(seq), static_cast<std::uint32_t>(seq >> 32)};
  std::mt19937_64 engine(key);
  std::uniform_int_distribution<std::int64_t> value(params_.min, params_.max);

  std::vector<array_t> arrays(params_.arrays, array_t(params_.length));
  for (auto& a : arrays)
    for (auto& x : a) x = value(engine);
  return arrays;
}

}  // namespace arraycast
