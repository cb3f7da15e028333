#include "recorder/event_text.hpp"

#include <charconv>

#include <fmt/format.h>

namespace arraycast {

namespace {

constexpr std::string_view bounded_gap = "gap: packets ";           // {from} to {to} are missing ({reason})
constexpr std::string_view open_gap = "gap: packets from ";         // {from} of the previous epoch are lost ({reason})

// fmt's debug format escapes control characters, quotes and backslashes (\n,
// \x1b, \"): the text stays on one line and still reads. Without its quotes.
std::string escape(std::string_view peer_text) {
  const auto quoted = fmt::format("{:?}", peer_text);
  return quoted.substr(1, quoted.size() - 2);
}

}  // namespace

std::string format_seconds(std::int64_t us) {
  return fmt::format("{}{}.{:06}", us < 0 ? "-" : "", (us < 0 ? -us : us) / 1'000'000, (us < 0 ? -us : us) % 1'000'000);
}

std::string describe(const record_event& e) {
  const auto detail = escape(e.detail);
  switch (e.what) {
    case record_event::kind::connected: return "connected to " + detail;
    case record_event::kind::disconnected: return "disconnected: " + detail;
    case record_event::kind::gap: break;
  }
  if (!e.to) return fmt::format("{}{} of the previous epoch are lost ({})", open_gap, e.from, detail);
  return fmt::format("{}{} to {} are missing ({})", bounded_gap, e.from, *e.to, detail);
}

line_meaning read_description(std::string_view text) {
  line_meaning m{line_meaning::kind::other, false, {}};
  std::uint64_t from = 0;
  if (take(text, open_gap)) {
    if (take_number(text, from) && take(text, " of the previous epoch")) m.what = line_meaning::kind::new_epoch;
  } else if (take(text, bounded_gap)) {
    if (take_number(text, from) && take(text, " to ") && take_number(text, m.at.last_seq) && take(text, " are missing"))
      m.what = line_meaning::kind::gap;
  }
  return m;
}

bool take(std::string_view& text, std::string_view prefix) {
  if (!text.starts_with(prefix)) return false;
  text.remove_prefix(prefix.size());
  return true;
}

bool take_number(std::string_view& text, std::uint64_t& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc{}) return false;
  text.remove_prefix(static_cast<std::size_t>(end - text.data()));
  return true;
}

}  // namespace arraycast
