#include "source/make_source.hpp"

#include <stdexcept>

#include "source/publish_source.hpp"
#include "source/random_source.hpp"

namespace arraycast {

std::unique_ptr<packet_source> make_source(const source_config& config, net::io_context& ioc, std::uint64_t seed) {
  if (config.spec == "random") return std::make_unique<random_source>(ioc, config.random, seed, config.interval);
  if (config.spec == "publish") return std::make_unique<publish_source>();
  throw std::invalid_argument("unknown source '" + config.spec + "'");
}

}  // namespace arraycast
