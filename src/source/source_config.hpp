#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "source/random_arrays.hpp"

namespace arraycast {

using namespace std::chrono_literals;

// Which source feeds the stream, and its settings; filled by the CLI
// (cli/source_options) for both `serve --source` and `publish --from`.
struct source_config {
  std::string spec = "random";               // random | stdin | exec:CMD | udp:HOST:PORT | serial:DEVICE | replay:FILE
  random_params random;                      // the random source's shape
  std::chrono::microseconds interval = 2s;   // the random source's period, as the hackathon's server had it
  std::optional<std::uint64_t> seed;         // unset: a random seed per run
  double speed = 1;                          // replay: 1 is the recorded pacing, as one expects of a replay; 0 as fast as clients take it
  bool loop = false;                         // replay: a recording ends, as it did when it was made
};

}  // namespace arraycast
