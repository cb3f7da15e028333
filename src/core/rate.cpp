#include "core/rate.hpp"

#include <algorithm>
#include <charconv>
#include <string>

#include <fmt/format.h>

#include "core/duration.hpp"

namespace arraycast {

std::chrono::microseconds rate::interval() const {
  return std::max(std::chrono::microseconds(1), period / static_cast<std::int64_t>(std::max<std::uint64_t>(count, 1)));
}

std::optional<rate> parse_rate(std::string_view text) {
  rate r;
  const auto* end = text.data() + text.size();
  auto [rest, ec] = std::from_chars(text.data(), end, r.count);
  if (ec != std::errc{} || rest == text.data() || r.count == 0) return std::nullopt;
  std::string_view period(rest, static_cast<std::size_t>(end - rest));
  if (period.empty()) period = "/s";
  if (!period.starts_with('/')) return std::nullopt;
  period.remove_prefix(1);
  // A bare unit is one of it: "/s" reads as "/1s".
  const bool bare = !period.empty() && (period.front() < '0' || period.front() > '9');
  const auto d = parse_duration(bare ? fmt::format("1{}", period) : std::string(period));
  if (!d || d->count() < static_cast<std::int64_t>(r.count)) return std::nullopt;
  r.period = *d;
  return r;
}

}  // namespace arraycast
