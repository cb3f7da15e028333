#include "recorder/csv_sink.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace arraycast {

void csv_sink::write_packet(const packet& p, std::uint64_t, std::int64_t recv_ts) {
  std::string text;
  if (!has_header_ && file_.empty() && !p.arrays.empty()) {
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
