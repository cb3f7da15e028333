#include "recorder/csv_sink.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/values.hpp"
#include "recorder/event_text.hpp"

namespace arraycast {

namespace {

constexpr std::string_view header_start = "seq,epoch,array,arrays,ts,recv_ts";

// "seq,epoch,array,arrays,...": the four numbers a restart needs. A packet
// of no arrays is the one row "array 0 of 0".
line_meaning read_row(std::string_view row) {
  line_meaning m{line_meaning::kind::packet, false, {}};
  std::uint64_t array = 0, arrays = 0;
  if (!take_number(row, m.at.last_seq) || !take(row, ",") || !take_number(row, m.at.epoch) || !take(row, ",") ||
      !take_number(row, array) || !take(row, ",") || !take_number(row, arrays) || !take(row, ",") ||
      (array >= arrays && array + arrays != 0))
    return {};
  m.ends_record = array + 1 >= arrays;
  return m;
}

line_meaning read_line(std::string_view line) {
  if (line.starts_with(header_start)) return {line_meaning::kind::other, true, {}};
  if (take(line, "# ")) {
    auto m = read_description(line);
    m.ends_record = true;
    return m;
  }
  return read_row(line);
}

bool may_start(std::string_view torn) {
  return torn.starts_with(header_start) || header_start.starts_with(torn);
}

constexpr line_grammar csv_grammar{"csv", read_line, may_start};

// The header names the first packet's columns: v0.. as many as its longest array.
std::string header_for(const packet& p) {
  std::size_t values = 0;
  for (const auto& a : p.arrays) values = std::max(values, a.size());
  std::string text(header_start);
  for (std::size_t i = 0; i < values; ++i) fmt::format_to(std::back_inserter(text), ",v{}", i);
  return text + '\n';
}

// One row per array, as many value columns as the array has (none when empty).
void append_row(std::string& text, const packet& p, std::uint64_t epoch, std::int64_t recv_ts, std::size_t i) {
  fmt::format_to(std::back_inserter(text), "{},{},{},{},{},{}", p.seq, epoch, i, p.arrays.size(), p.ts, recv_ts);
  if (i < p.arrays.size())
    for (const auto v : p.arrays[i]) fmt::format_to(std::back_inserter(text), ",{}", v);
  text += '\n';
}

}  // namespace

const line_grammar& csv_sink::grammar() { return csv_grammar; }

csv_sink::csv_sink(const std::string& path) : file_(path, csv_grammar), has_header_(!file_.empty()) {}

csv_sink::~csv_sink() {
  if (!held_.empty())
    spdlog::info("{} got no packet, so no header: its connection events are not written", file_.path());
}

void csv_sink::write_packet(const packet& p, std::uint64_t epoch, std::int64_t recv_ts) {
  std::string text;
  if (!has_header_) text = header_for(p) + std::exchange(held_, {});
  for (std::size_t i = 0; i < std::max<std::size_t>(p.arrays.size(), 1); ++i) append_row(text, p, epoch, recv_ts, i);
  file_.append(text);
  has_header_ = true;
}

void csv_sink::write_event(const record_event& e) {
  auto line = fmt::format("# {} : {}\n", describe(e), format_seconds(e.time));
  if (has_header_) return file_.append(line);
  held_ += line;
}

}  // namespace arraycast
