#include "recorder/jsonl_sink.hpp"

#include <boost/json.hpp>

namespace arraycast {

namespace json = boost::json;

namespace {
// Enough tail to hold the last packet line of any sane stream.
constexpr std::size_t resume_tail_bytes = 1 << 20;

// Moves `last` past one recorded line: a packet, or a bounded gap after a
// packet (the file already accounts for it, so the server need not announce
// it again on resume, nor the recorder write it twice). Other lines change nothing.
void advance(std::optional<resume_point>& last, const json::object& line) {
  boost::system::error_code ec;
  if (line.contains("seq") && line.contains("epoch")) {
    const auto epoch = line.at("epoch").to_number<std::uint64_t>(ec);
    const auto seq = line.at("seq").to_number<std::uint64_t>(ec);
    if (!ec) last = resume_point{epoch, seq};
    return;
  }
  const auto* event = line.if_contains("event");
  const auto* to = line.if_contains("to");
  if (!last || !event || *event != "gap" || !to || to->is_null()) return;
  const auto gap_end = to->to_number<std::uint64_t>(ec);
  if (!ec && gap_end > last->last_seq) last->last_seq = gap_end;
}

}  // namespace

void jsonl_sink::write_packet(const packet& p, std::uint64_t epoch, std::int64_t recv_ts) {
  json::array arrays;
  for (const auto& a : p.arrays) arrays.emplace_back(json::array(a.begin(), a.end()));
  file_.append(json::serialize(json::object{{"seq", p.seq}, {"epoch", epoch}, {"ts", p.ts},
                                            {"recv_ts", recv_ts}, {"arrays", std::move(arrays)}}) + "\n");
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

std::optional<resume_point> jsonl_sink::resume() const {
  const auto text = file_.tail(resume_tail_bytes);
  std::string_view rest(text);
  std::optional<resume_point> last;
  while (!rest.empty()) {
    const auto nl = rest.find('\n');
    const auto line = rest.substr(0, nl);
    rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
    boost::system::error_code ec;
    const auto v = json::parse(line, ec);
    if (!ec && v.is_object()) advance(last, v.as_object());
  }
  return last;
}

}  // namespace arraycast
