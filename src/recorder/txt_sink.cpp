#include "recorder/txt_sink.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/values.hpp"
#include "recorder/event_text.hpp"

namespace arraycast {

namespace {

// "# packet 42 epoch 7 : <time>"
line_meaning read_packet_line(std::string_view rest) {
  line_meaning m{line_meaning::kind::packet, false, {}};
  if (take_number(rest, m.at.last_seq) && take(rest, " epoch ") && take_number(rest, m.at.epoch) && take(rest, " : "))
    return m;
  return {};
}

// "[1 -2 3] : <time>", "[2.5 1e+300] : <time>", "[] : <time>": checked for its
// shape only (characters format_value writes); the values do not matter to a restart.
bool is_array_line(std::string_view line) {
  const auto close = line.find("] : ");
  return line.starts_with('[') && close != std::string_view::npos &&
         line.substr(1, close - 1).find_first_not_of("-+.e0123456789 ") == std::string_view::npos;
}

line_meaning read_line(std::string_view line) {
  if (line.empty()) return {line_meaning::kind::other, true, {}};  // ends a packet or an event
  if (take(line, "# packet ")) return read_packet_line(line);
  if (take(line, "# ")) return read_description(line);
  if (is_array_line(line)) return {line_meaning::kind::other, false, {}};
  return {};
}

bool may_start(std::string_view torn) { return torn.starts_with('[') || std::string_view("# ").starts_with(torn.substr(0, 2)); }

constexpr line_grammar txt_grammar{"txt", read_line, may_start};

}  // namespace

const line_grammar& txt_sink::grammar() { return txt_grammar; }

txt_sink::txt_sink(const std::string& path) : file_(path, txt_grammar) {}

void txt_sink::write_packet(const packet& p, std::uint64_t epoch, std::int64_t recv_ts) {
  const auto when = format_seconds(recv_ts);
  auto text = fmt::format("# packet {} epoch {} : {}\n", p.seq, epoch, when);
  for (const auto& a : p.arrays) fmt::format_to(std::back_inserter(text), "[{}] : {}\n", fmt::join(a, " "), when);
  text += '\n';
  file_.append(text);
}

void txt_sink::write_event(const record_event& e) {
  file_.append(fmt::format("# {} : {}\n\n", describe(e), format_seconds(e.time)));
}

}  // namespace arraycast
