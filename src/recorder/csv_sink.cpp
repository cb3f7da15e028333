#include "recorder/csv_sink.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <fstream>

namespace arraycast {

namespace {

// Whether the file already has its header: any line but a "#" comment. A new
// file's first line is the "connected" event, so emptiness does not tell.
bool has_header(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line))
    if (!line.starts_with('#')) return true;
  return false;
}

}  // namespace

csv_sink::csv_sink(const std::string& path) : file_(path), has_header_(has_header(path)) {}

void csv_sink::write_packet(const packet& p, std::uint64_t, std::int64_t recv_ts) {
  std::string text;
  if (!has_header_ && !p.arrays.empty()) {
    text = "seq,array,ts,recv_ts";
    for (std::size_t i = 0; i < p.arrays.front().size(); ++i) fmt::format_to(std::back_inserter(text), ",v{}", i);
    text += '\n';
  }
  has_header_ = true;
  for (std::size_t i = 0; i < p.arrays.size(); ++i)
    fmt::format_to(std::back_inserter(text), "{},{},{},{},{}\n", p.seq, i, p.ts, recv_ts, fmt::join(p.arrays[i], ","));
  file_.append(text);
}

void csv_sink::write_event(const record_event& e) {
  file_.append(fmt::format("# {} : {}\n", describe(e), format_seconds(e.time)));
}

}  // namespace arraycast
