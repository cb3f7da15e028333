#include "verify/recording_check.hpp"

#include <algorithm>
#include <variant>

namespace arraycast {

void recording_check::add(const recording_item& item) {
  if (const auto* p = std::get_if<recorded_packet>(&item)) return add_packet(*p);
  if (const auto* e = std::get_if<recorded_event>(&item)) return add_event(*e);
  out_.unreadable.add(std::get<unreadable_line>(item));
}

void recording_check::add_packet(const recorded_packet& p) {
  ++out_.packets;
  auto& st = enter(p.epoch);
  auto& s = st.summary;
  if (st.packets.contains(p.seq)) return out_.duplicates.add({p.line, p.epoch, p.seq, s.last_seq});
  if (s.packets > 0 && p.seq < s.last_seq) out_.reordered.add({p.line, p.epoch, p.seq, s.last_seq});
  st.packets.insert({p.seq, p.seq});
  s.first_seq = s.packets == 0 ? p.seq : std::min(s.first_seq, p.seq);
  s.last_seq = std::max(s.last_seq, p.seq);
  ++s.packets;
}

// The epoch of a packet; a change that no `to: null` gap announced leaves
// the rest of the previous epoch unaccounted for.
recording_check::epoch_state& recording_check::enter(std::uint64_t epoch) {
  if (current_ && *current_ != epoch && !epoch_closed_)
    out_.holes.add({*current_, epochs_.at(*current_).summary.last_seq + 1, std::nullopt});
  auto [it, added] = epochs_.try_emplace(epoch);
  auto& st = it->second;
  if (added) {
    st.summary.epoch = epoch;
    st.from_start = !order_.empty();
    order_.push_back(epoch);
  }
  current_ = epoch;
  epoch_closed_ = false;
  for (auto& g : pending_) {
    g.epoch = epoch;
    announce(st, std::move(g));
  }
  pending_.clear();
  return st;
}

void recording_check::add_event(const recorded_event& e) {
  ++out_.events;
  if (e.event.what != record_event::kind::gap) return;
  announced_gap g{e.line, std::nullopt, e.event.from, e.event.to, e.event.detail};
  if (!g.to) {
    g.epoch = current_;  // whose rest is lost
    epoch_closed_ = true;
    out_.gaps.add(std::move(g));
  } else if (current_ && !epoch_closed_) {
    g.epoch = current_;
    announce(epochs_.at(*current_), std::move(g));
  } else {
    pending_.push_back(std::move(g));
  }
}

void recording_check::announce(epoch_state& st, announced_gap g) {
  if (g.from <= *g.to) {  // else it announces nothing
    st.announced.insert({g.from, *g.to});
    st.announced_from = st.announced_from == 0 ? g.from : std::min(st.announced_from, g.from);
    st.announced_to = std::max(st.announced_to, *g.to);
    out_.announced_lost += *g.to - g.from + 1;
  }
  out_.gaps.add(std::move(g));
}

recording_summary recording_check::finish() {
  for (const auto epoch : order_) {
    const auto& st = epochs_.at(epoch);
    const auto& s = st.summary;
    const auto start = st.from_start ? std::uint64_t{1} : st.announced_from == 0 ? s.first_seq : std::min(s.first_seq, st.announced_from);
    for (const auto& unrecorded : st.packets.missing({start, std::max(s.last_seq, st.announced_to)}))
      for (const auto& hole : st.announced.missing(unrecorded)) out_.holes.add({epoch, hole.from, hole.to});
    out_.epochs.push_back(s);
  }
  for (auto& g : pending_) out_.gaps.add(std::move(g));  // after the last packet: no epoch to account them to
  return std::move(out_);
}

}  // namespace arraycast
