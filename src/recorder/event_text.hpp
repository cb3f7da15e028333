#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "recorder/recording_file.hpp"
#include "recorder/sink.hpp"

namespace arraycast {

// Connection events as the text formats (txt, csv) write them, and read them back.

std::string format_seconds(std::int64_t us);  // 1764000000.123456
// "connected to ws://…", "disconnected: …", "gap: …". What came from the peer
// (a close or gap reason) is escaped: a control character cannot end the line.
std::string describe(const record_event& e);
// What describe()'s text says to a restart: a bounded gap, a new epoch or
// nothing (kind::other). `ends_record` is left to the format.
line_meaning read_description(std::string_view text);

// The inverse of a "# " line's text, "<describe(e)> : <format_seconds(time)>":
// the event, with its detail as written (escaped). Empty if it is not one.
std::optional<record_event> read_event_text(std::string_view text);

// Grammar helpers: each consumes its match from the front of `text`.
bool take(std::string_view& text, std::string_view prefix);
bool take_number(std::string_view& text, std::uint64_t& out);
bool take_number(std::string_view& text, std::int64_t& out);
bool take_seconds(std::string_view& text, std::int64_t& us);  // what format_seconds writes

}  // namespace arraycast
