#include "recorder/recording_reader.hpp"

#include <stdexcept>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "core/exact_json.hpp"
#include "core/values.hpp"
#include "recorder/csv_sink.hpp"
#include "recorder/event_text.hpp"
#include "recorder/txt_sink.hpp"

namespace arraycast {

namespace json = boost::json;

namespace {

// Numbers separated by `separator`, as txt and csv write an array, read by
// the same rules as the wire's JSON (values.hpp): `2` an integer, `2.0` a double.
std::variant<std::vector<array_t>, std::string> read_values(std::string_view text, char separator) {
  std::string list = "[[";
  for (const char c : text) list += c == separator ? ',' : c;
  list += "]]";
  boost::system::error_code ec;
  const auto v = parse_json(list, ec);
  if (ec) return std::string("values that are not numbers");
  return arrays_from_json(v);
}

template <typename T>
bool read_number(const json::object& o, std::string_view key, T& out) {
  const auto* v = o.if_contains(key);
  boost::system::error_code ec;
  if (v) out = v->to_number<T>(ec);
  return v && !ec;
}

std::string read_string(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// {"seq":…,"epoch":…,"ts":…,"recv_ts":…,"arrays":…}, as jsonl_sink writes it.
recording_item jsonl_packet(const json::object& o, std::uint64_t number) {
  recorded_packet p{number, 0, 0, std::int64_t{0}, 0, {}};
  if (!read_number(o, "seq", p.seq) || !read_number(o, "epoch", p.epoch) || !read_number(o, "ts", *p.ts) ||
      !read_number(o, "recv_ts", p.recv_ts) || !o.contains("arrays"))
    return unreadable_line{number, "a packet without seq, epoch, ts, recv_ts or arrays"};
  auto arrays = arrays_from_json(o.at("arrays"));
  if (auto* why = std::get_if<std::string>(&arrays)) return unreadable_line{number, "a packet with " + *why};
  p.arrays = std::move(std::get<std::vector<array_t>>(arrays));
  return p;
}

recording_item jsonl_event(const json::object& o, std::uint64_t number) {
  recorded_event e{number, {}};
  const auto kind = read_string(o, "event");
  bool ok = read_number(o, "time", e.event.time);
  if (kind == "connected") {
    e.event.detail = read_string(o, "url");
  } else if (kind == "disconnected") {
    e.event.what = record_event::kind::disconnected;
    e.event.detail = read_string(o, "reason");
  } else if (kind == "gap") {
    e.event.what = record_event::kind::gap;
    e.event.detail = read_string(o, "reason");
    ok = ok && read_number(o, "from", e.event.from) && o.contains("to");
    if (ok && !o.at("to").is_null()) ok = read_number(o, "to", e.event.to.emplace());
  } else {
    ok = false;
  }
  if (!ok) return unreadable_line{number, "an event that is not connected, disconnected or gap, or lacks its fields"};
  return e;
}

// A jsonl line is self-describing: one parse gives both what it is and its values.
recording_item jsonl_item(std::string_view text, std::uint64_t number) {
  boost::system::error_code ec;
  const auto v = parse_json(text, ec);
  if (ec || !v.is_object()) return unreadable_line{number, "not a JSON object"};
  const auto& o = v.get_object();
  if (o.contains("event")) return jsonl_event(o, number);
  if (o.contains("seq") || o.contains("epoch")) return jsonl_packet(o, number);
  return unreadable_line{number, "neither a packet nor an event"};
}

std::runtime_error not_a_recording(const std::string& path) {
  return std::runtime_error(path + " is not a recording (its first line is not one that arraycast record writes)");
}

}  // namespace

recording_reader::recording_reader(const std::string& path) : lines_(path) {
  line_reader::line first;
  if (!lines_.next(first)) {
    format_ = format_for_path(path);
    return;
  }
  const auto format = first.torn || first.too_long ? std::nullopt : detect(first.text);
  if (!format && !first.torn && !first.too_long) throw not_a_recording(path);
  format_ = format.value_or(format_for_path(path));
  first_ = first;
}

std::optional<sink_format> recording_reader::detect(std::string_view first_line) {
  if (first_line.starts_with('{'))
    return std::holds_alternative<unreadable_line>(jsonl_item(first_line, 1)) ? std::nullopt
                                                                               : std::optional(sink_format::jsonl);
  // A csv file starts with its header, never with an event: events wait for it.
  if (first_line.starts_with("# ")) {
    const auto m = txt_sink::grammar().read(first_line);
    if (m.what == line_meaning::kind::packet || read_event_text(first_line.substr(2))) return sink_format::txt;
    return std::nullopt;
  }
  if (csv_sink::grammar().read(first_line).what == line_meaning::kind::other) return sink_format::csv;
  return std::nullopt;
}

std::optional<recording_item> recording_reader::next() {
  while (ready_.empty()) {
    line_reader::line line;
    if (first_) {
      line = *first_;
      first_.reset();
    } else if (!lines_.next(line)) {
      abandon_packet("the file ends before it");
      break;
    }
    read(line);
  }
  if (ready_.empty()) return std::nullopt;
  auto item = std::move(ready_.front());
  ready_.pop_front();
  return item;
}

void recording_reader::read(const line_reader::line& line) {
  if (line.too_long) {
    abandon_packet("a line too long to read");
    ready_.push_back(unreadable_line{line.number, "longer than any packet's line"});
  } else if (line.torn) {
    abandon_packet("the file ends in a torn line");
    ready_.push_back(unreadable_line{line.number, "torn: the last line has no newline (a crash, or a recorder still writing)"});
  } else if (format_ == sink_format::jsonl) {
    ready_.push_back(jsonl_item(line.text, line.number));
  } else if (format_ == sink_format::csv) {
    read_csv(line.text, line.number);
  } else {
    read_txt(line.text, line.number);
  }
}

// A packet is "# packet S epoch E : <recv time>", one "[v v v] : <time>" line
// per array, and a blank line; an event is "# <event> : <time>" and a blank line.
void recording_reader::read_txt(std::string_view text, std::uint64_t number) {
  if (text.empty()) {
    if (packet_) finish_packet();
    skipping_ = false;
    return;
  }
  const auto m = txt_sink::grammar().read(text);
  if (text.starts_with("# ")) {
    abandon_packet(fmt::format("line {} comes before its blank line", number));
    skipping_ = false;
    if (m.what != line_meaning::kind::packet) return read_event(text.substr(2), number);
    auto when = text.substr(text.find(" : ") + 3);
    packet_ = recorded_packet{number, m.at.epoch, m.at.last_seq, std::nullopt, 0, {}};
    if (!take_seconds(when, packet_->recv_ts) || !when.empty()) abandon_packet("its receive time does not read");
  } else if (skipping_) {
    return;
  } else if (m.what == line_meaning::kind::foreign) {
    abandon_packet(fmt::format("line {} is not one txt writes", number));
    ready_.push_back(unreadable_line{number, "not a line that a txt recording holds"});
  } else if (!packet_) {
    ready_.push_back(unreadable_line{number, "an array outside a packet"});
  } else {
    add_array(text.substr(1, text.find("] : ") - 1), ' ', number);
    skipping_ = !packet_;
  }
}

// One row per array: "seq,epoch,array,arrays,ts,recv_ts,v0,v1,…".
void recording_reader::read_csv(std::string_view text, std::uint64_t number) {
  if (text.starts_with("# ")) {
    abandon_packet(fmt::format("line {} comes before its last row", number));
    return read_event(text.substr(2), number);
  }
  const auto m = csv_sink::grammar().read(text);
  if (m.what != line_meaning::kind::packet) {
    abandon_packet(fmt::format("line {} comes before its last row", number));
    if (m.what == line_meaning::kind::foreign) ready_.push_back(unreadable_line{number, "not a line that a csv recording holds"});
    return;  // the header
  }
  std::uint64_t seq = 0, epoch = 0, array = 0, arrays = 0;
  std::int64_t ts = 0, recv_ts = 0;
  if (!take_number(text, seq) || !take(text, ",") || !take_number(text, epoch) || !take(text, ",") ||
      !take_number(text, array) || !take(text, ",") || !take_number(text, arrays) || !take(text, ",") ||
      !take_number(text, ts) || !take(text, ",") || !take_number(text, recv_ts) ||
      (!text.empty() && !take(text, ","))) {  // an empty array's row ends at recv_ts
    abandon_packet(fmt::format("its row on line {} does not read", number));
    return ready_.push_back(unreadable_line{number, "a row without its ts and recv_ts"});
  }
  const bool continues = packet_ && packet_->seq == seq && packet_->epoch == epoch && packet_->arrays.size() == array;
  if (!continues) {
    abandon_packet(fmt::format("line {} is not its next row", number));
    if (array != 0)
      return ready_.push_back(unreadable_line{number, fmt::format("a row of packet {} of epoch {} without the rows before it", seq, epoch)});
    packet_ = recorded_packet{number, epoch, seq, ts, recv_ts, {}};
  }
  add_array(text, ',', number);
  if (packet_ && array + 1 == arrays) finish_packet();
}

void recording_reader::add_array(std::string_view values, char separator, std::uint64_t number) {
  auto parsed = read_values(values, separator);
  if (auto* why = std::get_if<std::string>(&parsed)) return abandon_packet(fmt::format("line {} holds {}", number, *why));
  auto& arrays = std::get<std::vector<array_t>>(parsed);
  if (arrays.size() != 1) return abandon_packet(fmt::format("line {} holds brackets among its values", number));
  packet_->arrays.push_back(std::move(arrays.front()));
}

void recording_reader::read_event(std::string_view text, std::uint64_t number) {
  if (auto e = read_event_text(text)) return ready_.push_back(recorded_event{number, std::move(*e)});
  ready_.push_back(unreadable_line{number, "a comment that is not an event"});
}

void recording_reader::finish_packet() {
  ready_.push_back(std::move(*packet_));
  packet_.reset();
}

// The lines read so far of a packet that will not be whole.
void recording_reader::abandon_packet(std::string_view why) {
  if (!packet_) return;
  ready_.push_back(unreadable_line{packet_->line, fmt::format("packet {} of epoch {} is incomplete: {}", packet_->seq,
                                                              packet_->epoch, why)});
  packet_.reset();
}

}  // namespace arraycast
