#include "recorder/txt_sink.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace arraycast {

void txt_sink::write_packet(const packet& p, std::uint64_t, std::int64_t recv_ts) {
  const auto when = format_seconds(recv_ts);
  std::string text;
  for (const auto& a : p.arrays) fmt::format_to(std::back_inserter(text), "[{}] : {}\n", fmt::join(a, " "), when);
  text += '\n';
  file_.append(text);
}

void txt_sink::write_event(const record_event& e) {
  file_.append(fmt::format("# {} : {}\n\n", describe(e), format_seconds(e.time)));
}

}  // namespace arraycast
