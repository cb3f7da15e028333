#include "recorder/event_text.hpp"

#include <charconv>

#include <fmt/format.h>

namespace arraycast {

namespace {

constexpr std::string_view bounded_gap = "gap: packets ";           // {from} to {to} are missing ({reason})
constexpr std::string_view open_gap = "gap: packets from ";         // {from} of the previous epoch are lost ({reason})
constexpr std::string_view time_separator = " : ";                  // the time follows the last one

// fmt's debug format escapes control characters, quotes and backslashes (\n,
// \x1b, \"): the text stays on one line and still reads. Without its quotes.
std::string escape(std::string_view peer_text) {
  const auto quoted = fmt::format("{:?}", peer_text);
  return quoted.substr(1, quoted.size() - 2);
}

// "(reason)" at the end of a gap's text: the reason, as written.
bool take_reason(std::string_view text, std::string& out) {
  if (!take(text, " (") || !text.ends_with(')')) return false;
  out = text.substr(0, text.size() - 1);
  return true;
}

// A gap's description after "gap: packets ".
bool read_gap(std::string_view text, record_event& e) {
  e.what = record_event::kind::gap;
  if (take(text, "from ")) return take_number(text, e.from) && take(text, " of the previous epoch are lost") &&
                                  take_reason(text, e.detail);
  std::uint64_t to = 0;
  if (!take_number(text, e.from) || !take(text, " to ") || !take_number(text, to) || !take(text, " are missing"))
    return false;
  e.to = to;
  return take_reason(text, e.detail);
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

std::optional<record_event> read_event_text(std::string_view text) {
  const auto at = text.rfind(time_separator);
  if (at == std::string_view::npos) return std::nullopt;
  auto when = text.substr(at + time_separator.size());
  text = text.substr(0, at);
  record_event e;
  if (!take_seconds(when, e.time) || !when.empty()) return std::nullopt;
  if (take(text, "connected to ")) {
    e.detail = text;
  } else if (take(text, "disconnected: ")) {
    e.what = record_event::kind::disconnected;
    e.detail = text;
  } else if (!take(text, bounded_gap) || !read_gap(text, e)) {
    return std::nullopt;
  }
  return e;
}

line_meaning read_description(std::string_view text) {
  line_meaning m{line_meaning::kind::other, false, {}};
  const auto e = read_event_text(text);
  if (!e || e->what != record_event::kind::gap) return m;
  if (!e->to) {
    m.what = line_meaning::kind::new_epoch;
  } else {
    m.what = line_meaning::kind::gap;
    m.at.last_seq = *e->to;
  }
  return m;
}

bool take(std::string_view& text, std::string_view prefix) {
  if (!text.starts_with(prefix)) return false;
  text.remove_prefix(prefix.size());
  return true;
}

namespace {

template <typename Int>
bool take_integer(std::string_view& text, Int& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc{}) return false;
  text.remove_prefix(static_cast<std::size_t>(end - text.data()));
  return true;
}

}  // namespace

bool take_number(std::string_view& text, std::uint64_t& out) { return take_integer(text, out); }
bool take_number(std::string_view& text, std::int64_t& out) { return take_integer(text, out); }

// "-1.500000": a sign, whole seconds, a dot and exactly six digits.
bool take_seconds(std::string_view& text, std::int64_t& us) {
  const bool negative = take(text, "-");
  std::uint64_t seconds = 0, micros = 0;
  if (!take_number(text, seconds) || !take(text, ".")) return false;
  const auto digits = text.size();
  if (!take_number(text, micros) || digits - text.size() != 6) return false;
  const auto total = static_cast<std::int64_t>(seconds * 1'000'000 + micros);
  us = negative ? -total : total;
  return true;
}

}  // namespace arraycast
