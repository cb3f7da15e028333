#include "cli/source_options.hpp"

#include <cmath>
#include <map>

#include <fmt/format.h>

#include "cli/options.hpp"
#include "core/packet.hpp"
#include "source/make_source.hpp"

namespace arraycast {

namespace {

void add_random_options(CLI::App& cmd, source_config& cfg) {
  auto& r = cfg.random;
  cmd.add_option_function<std::size_t>(
         "--arrays", [&cfg](std::size_t n) { cfg.random.arrays = cfg.lines_per_packet = n; },
         "random: arrays per packet (default 5); lines of numbers: lines per packet (default 1)")
      ->check(CLI::Range(1, 10000));
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

const std::map<std::string, input_format> input_formats{
    {"auto", input_format::automatic}, {"json", input_format::json}, {"numbers", input_format::numbers}};

void add_input_options(CLI::App& cmd, source_config& cfg) {
  cmd.add_option("--input-format", cfg.format,
                 "lines and datagrams: auto (json or numbers, told apart line by line), json ([[1,2],[3]] or {\"arrays\":...,\"ts\":...}), "
                 "numbers (1 2 3 or 1,2,3: one array a line)")
      ->transform(CLI::CheckedTransformer(input_formats))
      ->default_str("auto");
  cmd.add_option("--max-input", cfg.max_input,
                 "largest line, datagram or published message in bytes; a longer one is rejected unread")
      ->check(CLI::Range(64, 64 * 1024 * 1024))
      ->capture_default_str();
}

const std::map<std::string, restart_policy> restart_policies{
    {"never", restart_policy::never}, {"always", restart_policy::always}, {"on-failure", restart_policy::on_failure}};

void add_exec_options(CLI::App& cmd, source_config& cfg) {
  cmd.add_option("--restart", cfg.restart,
                 "exec: run the command again when it exits: never, always, or on-failure (a non-zero status or a "
                 "signal), after a jittered backoff")
      ->transform(CLI::CheckedTransformer(restart_policies))
      ->default_str("on-failure");
}

}  // namespace

void add_source_options(CLI::App& cmd, source_config& cfg, const std::string& flag) {
  cmd.add_option(flag, cfg.spec, "where packets come from: " + source_kinds())->capture_default_str();
  add_random_options(cmd, cfg);
  add_input_options(cmd, cfg);
  add_exec_options(cmd, cfg);
}

void check_source(const source_config& cfg, const std::string& flag) {
  const auto& r = cfg.random;
  if (r.arrays * r.length > max_packet_values)
    throw CLI::ValidationError("--arrays/--length", fmt::format("--arrays {} x --length {} is {} values a packet; at most {}",
                                                                r.arrays, r.length, r.arrays * r.length, max_packet_values));
  if (r.min > r.max) throw CLI::ValidationError("--min/--max", fmt::format("--min {} is greater than --max {}", r.min, r.max));
  if (!is_source_kind(source_kind(cfg.spec)))
    throw CLI::ValidationError(flag, "'" + cfg.spec + "' is not a source; the sources are: " + source_kinds());
  if (source_kind(cfg.spec) == "exec" && exec_command(cfg.spec).find_first_not_of(' ') == std::string_view::npos)
    throw CLI::ValidationError(flag, "exec needs a command to run, e.g. " + flag + " 'exec:python3 sensor.py'");
}

}  // namespace arraycast
