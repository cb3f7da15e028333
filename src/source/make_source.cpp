#include "source/make_source.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <vector>

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

using factory = std::unique_ptr<packet_source> (*)(const source_config&, net::io_context&, std::uint64_t seed);

// Every kind of source, one entry each: its name and how it is made. A spec
// is KIND or KIND:ARGUMENT.
struct kind_entry {
  std::string_view name;
  bool argument;  // KIND:ARGUMENT; without, KIND alone
  factory make;
};

constexpr std::array<kind_entry, 7> kinds{{
    {"random", false, [](const source_config& c, net::io_context& ioc, std::uint64_t seed) -> std::unique_ptr<packet_source> {
       return std::make_unique<random_source>(ioc, c.random, seed, c.interval);
     }},
    {"stdin", false, [](const source_config& c, net::io_context& ioc, std::uint64_t) -> std::unique_ptr<packet_source> {
       return std::make_unique<stdin_source>(ioc, c, STDIN_FILENO);
     }},
    {"exec", true, [](const source_config& c, net::io_context& ioc, std::uint64_t) -> std::unique_ptr<packet_source> {
       return std::make_unique<exec_source>(ioc, c, std::string(source_argument(c.spec)));
     }},
    {"udp", true, [](const source_config& c, net::io_context& ioc, std::uint64_t) -> std::unique_ptr<packet_source> {
       return std::make_unique<udp_source>(ioc, c);
     }},
    {"serial", true, [](const source_config& c, net::io_context& ioc, std::uint64_t) -> std::unique_ptr<packet_source> {
       return std::make_unique<serial_source>(ioc, c);
     }},
    {"replay", true, [](const source_config& c, net::io_context& ioc, std::uint64_t) -> std::unique_ptr<packet_source> {
       return std::make_unique<replay_source>(ioc, std::string(source_argument(c.spec)), c.speed, c.loop);
     }},
    {"publish", false, [](const source_config&, net::io_context&, std::uint64_t) -> std::unique_ptr<packet_source> {
       return std::make_unique<publish_source>();
     }},
}};

const kind_entry* find_kind(std::string_view kind) {
  const auto it = std::find_if(kinds.begin(), kinds.end(), [kind](const kind_entry& k) { return k.name == kind; });
  return it == kinds.end() ? nullptr : &*it;
}

}  // namespace

std::string_view source_kind(std::string_view spec) { return spec.substr(0, spec.find(':')); }

std::string_view source_argument(std::string_view spec) {
  const auto colon = spec.find(':');
  return colon == std::string_view::npos ? std::string_view{} : spec.substr(colon + 1);
}

bool is_source_kind(std::string_view kind) { return find_kind(kind) != nullptr; }

bool source_takes_argument(std::string_view kind) {
  const auto* k = find_kind(kind);
  return k != nullptr && k->argument;
}

std::string source_kinds() {
  std::vector<std::string_view> names;
  for (const auto& k : kinds) names.push_back(k.name);
  return fmt::format("{}", fmt::join(names, ", "));
}

std::unique_ptr<packet_source> make_source(const source_config& config, net::io_context& ioc, std::uint64_t seed) {
  const auto* kind = find_kind(source_kind(config.spec));
  if (kind == nullptr) throw std::invalid_argument("unknown source '" + config.spec + "'");
  return kind->make(config, ioc, seed);
}

}  // namespace arraycast
