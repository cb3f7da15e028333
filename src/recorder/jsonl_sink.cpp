#include "recorder/jsonl_sink.hpp"

#include <boost/json.hpp>

#include "core/exact_json.hpp"
#include "core/values.hpp"

namespace arraycast {

namespace json = boost::json;

namespace {

// A packet needs both numbers; one that fails to convert makes the line
// unreadable (kind::other), never a packet of epoch 0.
line_meaning read_packet(const json::object& line) {
  boost::system::error_code epoch_ec, seq_ec;
  const auto epoch = line.at("epoch").to_number<std::uint64_t>(epoch_ec);
  const auto seq = line.at("seq").to_number<std::uint64_t>(seq_ec);
  if (epoch_ec || seq_ec) return {line_meaning::kind::other, true, {}};
  return {line_meaning::kind::packet, true, {epoch, seq}};
}

line_meaning read_gap(const json::value& to) {
  if (to.is_null()) return {line_meaning::kind::new_epoch, true, {}};
  boost::system::error_code ec;
  const auto last = to.to_number<std::uint64_t>(ec);
  if (ec) return {line_meaning::kind::other, true, {}};
  return {line_meaning::kind::gap, true, {0, last}};
}

// Every line this format writes is a whole record: a JSON object.
line_meaning read_line(std::string_view text) {
  boost::system::error_code ec;
  const auto v = parse_json(text, ec);
  if (ec || !v.is_object()) return {};
  const auto& line = v.as_object();
  if (line.contains("seq") && line.contains("epoch")) return read_packet(line);
  const auto* event = line.if_contains("event");
  const auto* to = line.if_contains("to");
  if (event && *event == "gap" && to) return read_gap(*to);
  return {line_meaning::kind::other, true, {}};
}

bool may_start(std::string_view torn) { return std::string_view(R"({")").starts_with(torn.substr(0, 2)); }

constexpr line_grammar jsonl_grammar{"jsonl", read_line, may_start};

}  // namespace

jsonl_sink::jsonl_sink(const std::string& path) : file_(path, jsonl_grammar) {}

void jsonl_sink::write_packet(const packet& p, std::uint64_t epoch, std::int64_t recv_ts) {
  file_.append(json::serialize(json::object{{"seq", p.seq}, {"epoch", epoch}, {"ts", p.ts},
                                            {"recv_ts", recv_ts}, {"arrays", arrays_to_json(p.arrays)}}) + "\n");
}

void jsonl_sink::write_event(const record_event& e) {
  json::object o{{"event", ""}, {"time", e.time}};
  switch (e.what) {
    case record_event::kind::connected:
      o["event"] = "connected";
      o["url"] = e.detail;
      break;
    case record_event::kind::disconnected:
      o["event"] = "disconnected";
      o["reason"] = e.detail;
      break;
    case record_event::kind::gap:
      o["event"] = "gap";
      o["from"] = e.from;
      o["to"] = e.to ? json::value(*e.to) : json::value(nullptr);
      o["reason"] = e.detail;
      break;
  }
  file_.append(json::serialize(o) + "\n");
}

}  // namespace arraycast
