#include "cli/source_options.hpp"

#include <cmath>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "cli/options.hpp"
#include "core/packet.hpp"
#include "source/make_source.hpp"
#include "recorder/recording_reader.hpp"
#include "source/serial_source.hpp"
#include "source/udp_source.hpp"

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

void add_replay_options(CLI::App& cmd, source_config& cfg) {
  cmd.add_option("--speed", cfg.speed,
                 "replay: 1 keeps the recorded pacing, 2 twice as fast; 0: as fast as the clients take the packets")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd.add_flag("--loop", cfg.loop, "replay: start the recording over at its end, instead of ending the source");
}

void check_replay(const source_config& cfg, const std::string& flag) {
  const auto path = cfg.spec.substr(std::string_view("replay:").size());
  if (path.empty()) throw CLI::ValidationError(flag, "replay: needs a file: replay:FILE");
  try {
    recording_reader{path};  // refused now, with the flag's name, rather than when the server starts
  } catch (const std::runtime_error& e) {
    throw CLI::ValidationError(flag, e.what());
  }
  if (!std::isfinite(cfg.speed)) throw CLI::ValidationError("--speed", "must be a finite number, 0 or more");
}

using serial_port_base = net::serial_port_base;
const std::map<std::string, serial_port_base::parity::type> parities{
    {"none", serial_port_base::parity::none}, {"odd", serial_port_base::parity::odd}, {"even", serial_port_base::parity::even}};
const std::map<std::string, serial_port_base::stop_bits::type> stop_bits{
    {"1", serial_port_base::stop_bits::one}, {"1.5", serial_port_base::stop_bits::onepointfive}, {"2", serial_port_base::stop_bits::two}};
const std::map<std::string, serial_port_base::flow_control::type> flow_controls{
    {"none", serial_port_base::flow_control::none}, {"software", serial_port_base::flow_control::software},
    {"hardware", serial_port_base::flow_control::hardware}};

void add_serial_options(CLI::App& cmd, source_config& cfg) {
  cmd.add_option("--baud", cfg.baud, "serial: bits per second")->check(CLI::Range(50, 4000000))->capture_default_str();
  cmd.add_option("--data-bits", cfg.data_bits, "serial: bits per character")->check(CLI::Range(5, 8))->capture_default_str();
  cmd.add_option("--parity", cfg.parity, "serial: none, odd or even")
      ->transform(CLI::CheckedTransformer(parities))
      ->default_str("none");
  cmd.add_option("--stop-bits", cfg.stop_bits, "serial: 1, 1.5 or 2")
      ->transform(CLI::CheckedTransformer(stop_bits))
      ->default_str("1");
  cmd.add_option("--flow-control", cfg.flow_control, "serial: none, software (XON/XOFF) or hardware (RTS/CTS)")
      ->transform(CLI::CheckedTransformer(flow_controls))
      ->default_str("none");
}

// The spec's argument, checked now rather than when the source starts.
void check_source_argument(const source_config& cfg, const std::string& flag) {
  const auto kind = source_kind(cfg.spec);
  if (!source_takes_argument(kind) && kind != cfg.spec)
    throw CLI::ValidationError(flag, fmt::format("'{}' takes no argument: give {} alone", kind, kind));
  if (kind == "udp") {
    try {
      parse_udp_address(source_argument(cfg.spec));
    } catch (const std::invalid_argument& e) {
      throw CLI::ValidationError(flag, e.what());
    }
  }
  if (kind != "serial") return;
  if (source_argument(cfg.spec).empty())
    throw CLI::ValidationError(flag, "serial:DEVICE needs a DEVICE, as in serial:/dev/ttyACM0");
  if (const auto error = serial_settings_error(cfg); !error.empty()) throw CLI::ValidationError(error);
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
  add_replay_options(cmd, cfg);
  add_serial_options(cmd, cfg);
  add_exec_options(cmd, cfg);
}

void check_source(const source_config& cfg, const std::string& flag) {
  const auto& r = cfg.random;
  if (r.arrays * r.length > max_packet_values)
    throw CLI::ValidationError("--arrays/--length", fmt::format("--arrays {} x --length {} is {} values a packet; at most {}",
                                                                r.arrays, r.length, r.arrays * r.length, max_packet_values));
  if (r.min > r.max) throw CLI::ValidationError("--min/--max", fmt::format("--min {} is greater than --max {}", r.min, r.max));
  if (cfg.spec.starts_with("replay:")) return check_replay(cfg, flag);
  if (!is_source_kind(source_kind(cfg.spec)))
    throw CLI::ValidationError(flag, "'" + cfg.spec + "' is not a source; the sources are: " + source_kinds());
  check_source_argument(cfg, flag);
  if (source_kind(cfg.spec) == "exec" && source_argument(cfg.spec).find_first_not_of(' ') == std::string_view::npos)
    throw CLI::ValidationError(flag, "exec needs a command to run, e.g. " + flag + " 'exec:python3 sensor.py'");
}

}  // namespace arraycast
