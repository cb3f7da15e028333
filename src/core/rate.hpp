#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace arraycast {

// Events per period, as an operator writes it: "10" and "10/s" (ten a
// second), "1/10s" (one every ten seconds), "500/2s".
struct rate {
  std::uint64_t count = 0;
  std::chrono::microseconds period{0};

  // The time one event costs: period / count, at least 1 µs.
  std::chrono::microseconds interval() const;
};

// Parses COUNT[/PERIOD]: COUNT a positive integer, PERIOD a duration
// ("250ms", "10s") or a bare unit ("s" for 1s); no PERIOD means per second.
// Nullopt for anything else, or a rate over one event per microsecond.
std::optional<rate> parse_rate(std::string_view text);

}  // namespace arraycast
