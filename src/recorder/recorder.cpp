#include "recorder/recorder.hpp"

#include <variant>

namespace arraycast {

recorder::recorder(sink& out) : out_(out) {
  if (auto r = out_.resume()) {
    epoch_ = r->epoch;
    last_seq_ = r->last_seq;
  }
}

protocol::hello recorder::hello(const std::string& name) const {
  if (!epoch_) return {name, std::nullopt, std::nullopt};
  return {name, epoch_, last_seq_};
}

void recorder::on_connected(const std::string& url, std::int64_t now) {
  out_.write_event({record_event::kind::connected, now, url, 0, std::nullopt});
}

void recorder::on_disconnected(const std::string& reason, std::int64_t now) {
  out_.write_event({record_event::kind::disconnected, now, reason, 0, std::nullopt});
}

std::optional<std::uint64_t> recorder::on_message(const protocol::server_message& m, std::int64_t recv_ts) {
  if (const auto* w = std::get_if<protocol::welcome>(&m)) server_epoch_ = w->epoch;
  if (const auto* g = std::get_if<protocol::gap>(&m)) on_gap(*g, recv_ts);
  if (const auto* p = std::get_if<packet>(&m)) return on_packet(*p, recv_ts);
  return std::nullopt;
}

std::optional<std::uint64_t> recorder::on_packet(const packet& p, std::int64_t recv_ts) {
  if (!epoch_) {
    epoch_ = server_epoch_;  // a fresh recording starts with whatever arrives first
    last_seq_ = p.seq - 1;
  } else if (*epoch_ != server_epoch_) {
    enter_server_epoch(recv_ts);
  }
  if (p.seq <= last_seq_) return p.seq;  // replayed, already in the file
  if (p.seq > last_seq_ + 1) write_gap(last_seq_ + 1, p.seq - 1, "missing", recv_ts);
  out_.write_packet(p, *epoch_, recv_ts);
  last_seq_ = p.seq;
  ++written_;
  return p.seq;
}

void recorder::on_gap(const protocol::gap& g, std::int64_t now) {
  if (epoch_ && *epoch_ != server_epoch_) enter_server_epoch(now);  // announced or not, written once
  if (!g.to) return;
  if (!epoch_) epoch_ = server_epoch_;
  if (*g.to <= last_seq_) return;  // already recorded or already announced
  write_gap(std::max(g.from, last_seq_ + 1), g.to, g.reason, now);
  last_seq_ = *g.to;
}

void recorder::write_gap(std::uint64_t from, std::optional<std::uint64_t> to, const std::string& reason,
                         std::int64_t now) {
  out_.write_event({record_event::kind::gap, now, reason, from, to});
}

// The rest of the old epoch is lost for good; recording continues in the
// server's epoch from its first packet.
void recorder::enter_server_epoch(std::int64_t now) {
  write_gap(last_seq_ + 1, std::nullopt, "new epoch", now);
  epoch_ = server_epoch_;
  last_seq_ = 0;
}

}  // namespace arraycast
