#include "verify/verify_report.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

namespace arraycast {

namespace json = boost::json;

namespace {

json::value optional_number(const std::optional<std::uint64_t>& n) { return n ? json::value(*n) : json::value(nullptr); }

template <typename T, typename F>
json::object findings_json(const findings<T>& f, F&& one) {
  json::array first;
  for (const auto& t : f.first) first.push_back(one(t));
  return {{"count", f.count}, {"first", std::move(first)}};
}

json::value misplaced_json(const misplaced_packet& m) {
  return json::object{{"line", m.line}, {"epoch", m.epoch}, {"seq", m.seq}, {"after", m.after}};
}

json::object match_json(const std::string& path, const match_summary& m) {
  return {{"file", path},
          {"ok", m.ok()},
          {"compared", m.compared},
          {"mismatches", findings_json(m.mismatches,
                                       [](const packet_mismatch& x) -> json::value {
                                         return json::object{{"index", x.index}, {"ours", x.ours},
                                                             {"theirs", x.theirs}, {"detail", x.detail}};
                                       })},
          {"only_ours", m.only_ours},
          {"only_theirs", m.only_theirs},
          {"first_only", m.first_only ? json::value(*m.first_only) : json::value(nullptr)},
          {"unreadable_theirs", m.unreadable_theirs}};
}

std::string gap_text(const announced_gap& g) {
  const auto epoch = g.epoch ? fmt::format("epoch {} ", *g.epoch) : std::string();
  if (!g.to) return fmt::format("line {}: {}packets from {} on are lost ({})", g.line, epoch, g.from, g.reason);
  return fmt::format("line {}: {}packets {} to {} ({})", g.line, epoch, g.from, *g.to, g.reason);
}

std::string hole_text(const silent_hole& h) {
  if (!h.to) return fmt::format("epoch {} from seq {}: the epoch changed with no gap event", h.epoch, h.from);
  return fmt::format("epoch {} seq {} to {} ({} packets)", h.epoch, h.from, *h.to, *h.to - h.from + 1);
}

std::string misplaced_text(const misplaced_packet& m) {
  return fmt::format("line {}: epoch {} seq {} (after seq {})", m.line, m.epoch, m.seq, m.after);
}

template <typename T, typename F>
void list(std::string& out, std::string_view title, const findings<T>& f, F&& text) {
  fmt::format_to(std::back_inserter(out), "{}: {}\n", title, f.count == 0 ? "none" : std::to_string(f.count));
  for (const auto& t : f.first) fmt::format_to(std::back_inserter(out), "  {}\n", text(t));
  if (f.count > f.first.size()) fmt::format_to(std::back_inserter(out), "  ... and {} more\n", f.count - f.first.size());
}

void match_text(std::string& out, const std::string& path, const match_summary& m) {
  fmt::format_to(std::back_inserter(out), "against {}: {} packets compared\n", path, m.compared);
  list(out, "  different values", m.mismatches, [](const packet_mismatch& x) {
    return fmt::format("packet {}: {} vs {}: {}", x.index, x.ours, x.theirs, x.detail);
  });
  if (m.only_ours + m.only_theirs > 0)
    fmt::format_to(std::back_inserter(out), "  different lengths: {} packets past the other's end (first: {})\n",
                   m.only_ours + m.only_theirs, m.first_only.value_or("?"));
  if (m.unreadable_theirs > 0)
    fmt::format_to(std::back_inserter(out), "  {} lines of {} are not packets\n", m.unreadable_theirs, path);
}

}  // namespace

verify_report run_verify(std::string path, const std::function<std::optional<recording_item>()>& next,
                         std::optional<std::string> against_path, const next_against& against) {
  recording_check check;
  std::optional<packet_match> match;
  if (against) match.emplace();
  const auto next_theirs = [&]() -> std::optional<located_arrays> {
    while (auto item = against()) {
      if (auto* packet = std::get_if<located_arrays>(&*item)) return std::move(*packet);
      match->add_unreadable_theirs();
    }
    return std::nullopt;
  };
  while (auto item = next()) {
    check.add(*item);
    if (auto* p = std::get_if<recorded_packet>(&*item); p && match)
      match->add(located_arrays{where(*p), std::move(p->arrays)}, next_theirs());
  }
  if (match)
    while (auto theirs = next_theirs()) match->add(std::nullopt, theirs);
  verify_report r{std::move(path), check.finish(), std::move(against_path), std::nullopt};
  if (match) r.match = match->finish();
  return r;
}

std::string where(const recorded_packet& p) { return fmt::format("line {} (epoch {}, seq {})", p.line, p.epoch, p.seq); }

std::string to_text(const verify_report& r) {
  const auto& s = r.recording;
  auto out = fmt::format("{}: {} packets, {} events, {} epochs\n", r.path, s.packets, s.events, s.epochs.size());
  for (const auto& e : s.epochs)
    fmt::format_to(std::back_inserter(out), "  epoch {}: seq {} to {} ({} packets)\n", e.epoch, e.first_seq,
                   e.last_seq, e.packets);
  list(out, fmt::format("announced gaps ({} packets)", s.announced_lost), s.gaps, gap_text);
  list(out, "silent holes", s.holes, hole_text);
  list(out, "duplicates", s.duplicates, misplaced_text);
  list(out, "reordered", s.reordered, misplaced_text);
  list(out, "unreadable lines", s.unreadable,
       [](const unreadable_line& u) { return fmt::format("line {}: {}", u.line, u.why); });
  if (r.match) match_text(out, *r.against_path, *r.match);
  out += r.ok() ? "OK: nothing is missing that was not announced\n" : "FAILED\n";
  return out;
}

json::object to_json(const verify_report& r) {
  const auto& s = r.recording;
  json::array epochs;
  for (const auto& e : s.epochs)
    epochs.push_back(json::object{{"epoch", e.epoch}, {"packets", e.packets}, {"first_seq", e.first_seq},
                                  {"last_seq", e.last_seq}});
  json::object out{
      {"file", r.path},
      {"ok", r.ok()},
      {"packets", s.packets},
      {"events", s.events},
      {"epochs", std::move(epochs)},
      {"gaps", findings_json(s.gaps, [](const announced_gap& g) -> json::value {
         return json::object{{"line", g.line}, {"epoch", optional_number(g.epoch)}, {"from", g.from},
                             {"to", optional_number(g.to)}, {"reason", g.reason}};
       })},
      {"announced_lost", s.announced_lost},
      {"holes", findings_json(s.holes, [](const silent_hole& h) -> json::value {
         return json::object{{"epoch", h.epoch}, {"from", h.from}, {"to", optional_number(h.to)}};
       })},
      {"duplicates", findings_json(s.duplicates, misplaced_json)},
      {"reordered", findings_json(s.reordered, misplaced_json)},
      {"unreadable", findings_json(s.unreadable, [](const unreadable_line& u) -> json::value {
         return json::object{{"line", u.line}, {"why", u.why}};
       })}};
  if (r.match) out["against"] = match_json(*r.against_path, *r.match);
  return out;
}

}  // namespace arraycast
