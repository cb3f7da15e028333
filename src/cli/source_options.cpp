#include "cli/source_options.hpp"

#include <cmath>

#include <fmt/format.h>

#include "cli/options.hpp"
#include "core/packet.hpp"

namespace arraycast {

namespace {

void add_random_options(CLI::App& cmd, source_config& cfg) {
  auto& r = cfg.random;
  cmd.add_option("--arrays", r.arrays, "random: arrays per packet")->check(CLI::Range(1, 10000))->capture_default_str();
  cmd.add_option("--length", r.length, "random: values per array")->check(CLI::Range(1, 100000))->capture_default_str();
  cmd.add_option("--min", r.min, "random: smallest value")->capture_default_str();
  cmd.add_option("--max", r.max, "random: largest value (inclusive)")->capture_default_str();
  auto* interval = add_duration(cmd, "--interval", cfg.interval,
                                "random: time between packets; 0: as fast as the clients take them (flow-controlled)",
                                std::chrono::microseconds(0));
  cmd.add_option_function<double>(
         "--rate", [&cfg](double rate) { cfg.interval = std::chrono::microseconds(std::llround(1e6 / rate)); },
         "random: packets per second, instead of --interval (1 to 1000000; the period is rounded to 1 us)")
      ->check(CLI::Range(1.0, 1e6))
      ->excludes(interval);
  cmd.add_option("--seed", cfg.seed, "random: packet N is the same in every run with this seed");
}

}  // namespace

void add_source_options(CLI::App& cmd, source_config& cfg, const std::string& flag) {
  cmd.add_option(flag, cfg.spec, "where packets come from: random, publish (serve only: producers on /publish)")
      ->capture_default_str();
  add_random_options(cmd, cfg);
}

void check_source(const source_config& cfg, const std::string& flag) {
  const auto& r = cfg.random;
  if (r.arrays * r.length > max_packet_values)
    throw CLI::ValidationError("--arrays/--length", fmt::format("--arrays {} x --length {} is {} values a packet; at most {}",
                                                                r.arrays, r.length, r.arrays * r.length, max_packet_values));
  if (r.min > r.max) throw CLI::ValidationError("--min/--max", fmt::format("--min {} is greater than --max {}", r.min, r.max));
  if (cfg.spec != "random" && cfg.spec != "publish")
    throw CLI::ValidationError(flag, "'" + cfg.spec + "' is not a source; the sources are: random, publish");
}

}  // namespace arraycast
