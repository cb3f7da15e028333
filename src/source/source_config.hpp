#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <boost/asio/serial_port_base.hpp>

#include "core/line_decoder.hpp"
#include "source/random_arrays.hpp"

namespace arraycast {

using namespace std::chrono_literals;

// When `exec:CMD` runs its command again after it exits.
enum class restart_policy { never, always, on_failure };

// Which source feeds the stream, and its settings; filled by the CLI
// (cli/source_options) for both `serve --source` and `publish --from`.
struct source_config {
  std::string spec = "random";               // random | stdin | exec:CMD | udp:HOST:PORT | serial:DEVICE | replay:FILE
  random_params random;                      // the random source's shape
  std::chrono::microseconds interval = 2s;   // the random source's period, as the hackathon's server had it
  std::optional<std::uint64_t> seed;         // unset: a random seed per run
  // Sources of lines and datagrams (stdin, exec, udp, serial):
  input_format format = input_format::automatic;  // every form the docs list, told apart line by line
  std::size_t lines_per_packet = 1;          // --arrays N: N lines of numbers make one packet
  std::size_t max_input = 1 << 20;           // bytes of one line, datagram or published message: about
                                             // 100,000 values as text, far above a sensor's packet
  double speed = 1;                          // replay: 1 is the recorded pacing, as one expects of a replay; 0 as fast as clients take it
  bool loop = false;                         // replay: a recording ends, as it did when it was made
  // Serial ports (serial:DEVICE): 8N1 at 115200, what boards' USB serial examples use.
  using serial_port_base = boost::asio::serial_port_base;
  unsigned baud = 115200;
  unsigned data_bits = 8;
  serial_port_base::parity::type parity = serial_port_base::parity::none;
  serial_port_base::stop_bits::type stop_bits = serial_port_base::stop_bits::one;
  serial_port_base::flow_control::type flow_control = serial_port_base::flow_control::none;  // most boards wire none
  // exec:CMD
  restart_policy restart = restart_policy::on_failure;  // a crash is restarted; a command that finished is done
  std::chrono::milliseconds restart_initial = 100ms;    // the recorder's backoff: a crash-looping command
  std::chrono::milliseconds restart_max = 5s;           // costs little, a fixed one restarts soon
};

}  // namespace arraycast
