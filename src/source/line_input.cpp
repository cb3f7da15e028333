#include "source/line_input.hpp"

#include <fmt/format.h>

namespace arraycast {

line_input::line_input(const source_config& config, packet_sink& out)
    : out_(out),
      max_input_(config.max_input),
      decoder_(config.format, config.lines_per_packet),
      splitter_(
          config.max_input, [this](std::string_view line) { on_line(line); },
          [this](std::size_t bytes) {
            out_.rejected(reject_reason::too_long,
                          fmt::format("a line of {} bytes or more; --max-input is {}", bytes, max_input_));
          }) {}

void line_input::feed_message(std::string_view message) {
  if (message.size() > max_input_)
    return out_.rejected(reject_reason::too_long,
                         fmt::format("a message of {} bytes; --max-input is {}", message.size(), max_input_));
  on_line(message);
}

void line_input::on_line(std::string_view line) {
  auto r = decoder_.feed(line);
  if (auto* p = std::get_if<input_packet>(&r)) return out_.push({std::move(p->arrays), p->ts, {}});
  if (auto* e = std::get_if<input_rejection>(&r)) out_.rejected(e->reason, e->detail);
}

}  // namespace arraycast
