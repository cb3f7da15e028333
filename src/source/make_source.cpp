#include "source/make_source.hpp"

#include <stdexcept>

#include "source/random_source.hpp"
#include "source/replay_source.hpp"

namespace arraycast {

std::unique_ptr<packet_source> make_source(const source_config& config, net::io_context& ioc, std::uint64_t seed) {
  if (config.spec == "random") return std::make_unique<random_source>(ioc, config.random, seed, config.interval);
  if (config.spec.starts_with("replay:")) return std::make_unique<replay_source>(ioc, config.spec.substr(7), config.speed, config.loop);
  throw std::invalid_argument("unknown source '" + config.spec + "'");
}

}  // namespace arraycast
