#include "loadgen/packet_scan.hpp"

#include <charconv>

namespace arraycast {

namespace {

// The text just after `"key":` (with optional spaces), or npos. Only the
// first occurrence counts: values of a packet are numbers, so keys are unique.
std::size_t value_of(std::string_view text, std::string_view quoted_key) {
  auto pos = text.find(quoted_key);
  if (pos == std::string_view::npos) return pos;
  pos += quoted_key.size();
  while (pos < text.size() && text[pos] == ' ') ++pos;
  if (pos >= text.size() || text[pos] != ':') return std::string_view::npos;
  ++pos;
  while (pos < text.size() && text[pos] == ' ') ++pos;
  return pos;
}

template <typename Int>
std::optional<Int> integer_at(std::string_view text, std::string_view quoted_key) {
  const auto pos = value_of(text, quoted_key);
  if (pos == std::string_view::npos) return std::nullopt;
  Int value{};
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data() + pos, end, value);
  if (ec != std::errc{}) return std::nullopt;
  if (ptr != end && *ptr != ',' && *ptr != '}' && *ptr != ' ') return std::nullopt;  // 1.5, 1e3
  return value;
}

}  // namespace

std::optional<packet_mark> scan_packet(std::string_view text) {
  constexpr std::string_view packet_type = "\"packet\"";
  const auto type = value_of(text, "\"type\"");
  if (type == std::string_view::npos || text.substr(type, packet_type.size()) != packet_type) return std::nullopt;
  const auto seq = integer_at<std::uint64_t>(text, "\"seq\"");
  const auto ts = integer_at<std::int64_t>(text, "\"ts\"");
  if (!seq || !ts) return std::nullopt;
  return packet_mark{*seq, *ts};
}

}  // namespace arraycast
