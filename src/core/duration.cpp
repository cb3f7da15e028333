#include "core/duration.hpp"

#include <charconv>
#include <cstdint>
#include <limits>

namespace arraycast {

std::optional<std::chrono::microseconds> parse_duration(std::string_view text) {
  std::int64_t value = 0;
  const auto* end = text.data() + text.size();
  auto [rest, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc{} || rest == text.data() || value < 0) return std::nullopt;

  const std::string_view unit(rest, static_cast<std::size_t>(end - rest));
  std::int64_t scale = 0;
  if (unit == "us") scale = 1;
  else if (unit == "ms") scale = 1'000;
  else if (unit == "s") scale = 1'000'000;
  else if (unit == "m") scale = 60'000'000;
  else if (unit == "h") scale = 3'600'000'000;
  else return std::nullopt;

  if (value > std::numeric_limits<std::int64_t>::max() / scale) return std::nullopt;
  return std::chrono::microseconds(value * scale);
}

}  // namespace arraycast
