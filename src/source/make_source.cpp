#include "source/make_source.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <unistd.h>

#include "source/exec_source.hpp"
#include "source/publish_source.hpp"
#include "source/random_source.hpp"
#include "source/replay_source.hpp"
#include "source/serial_source.hpp"
#include "source/stdin_source.hpp"
#include "source/udp_source.hpp"

namespace arraycast {

namespace {

// Every kind of source, one entry each; a spec is KIND or KIND:ARGUMENT.
constexpr std::array<std::string_view, 7> kinds{"random", "stdin", "exec", "udp", "serial", "replay", "publish"};

}  // namespace

std::string_view source_kind(std::string_view spec) { return spec.substr(0, spec.find(':')); }

std::string_view source_argument(std::string_view spec) {
  const auto colon = spec.find(':');
  return colon == std::string_view::npos ? std::string_view{} : spec.substr(colon + 1);
}

bool is_source_kind(std::string_view kind) { return std::find(kinds.begin(), kinds.end(), kind) != kinds.end(); }

std::string_view exec_command(std::string_view spec) {
  const auto colon = spec.find(':');
  return colon == std::string_view::npos ? std::string_view{} : spec.substr(colon + 1);
}

std::string source_kinds() { return fmt::format("{}", fmt::join(kinds, ", ")); }

std::unique_ptr<packet_source> make_source(const source_config& config, net::io_context& ioc, std::uint64_t seed) {
  if (config.spec == "random") return std::make_unique<random_source>(ioc, config.random, seed, config.interval);
  if (config.spec == "stdin") return std::make_unique<stdin_source>(ioc, config, STDIN_FILENO);
  if (source_kind(config.spec) == "exec") return std::make_unique<exec_source>(ioc, config, std::string(exec_command(config.spec)));
  if (config.spec.starts_with("replay:")) return std::make_unique<replay_source>(ioc, config.spec.substr(7), config.speed, config.loop);
  if (source_kind(config.spec) == "udp") return std::make_unique<udp_source>(ioc, config);
  if (source_kind(config.spec) == "serial") return std::make_unique<serial_source>(ioc, config);
  if (config.spec == "publish") return std::make_unique<publish_source>();
  throw std::invalid_argument("unknown source '" + config.spec + "'");
}

}  // namespace arraycast
