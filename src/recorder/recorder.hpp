#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/protocol.hpp"
#include "recorder/sink.hpp"

namespace arraycast {

// The recording logic, free of sockets: turns what the server says into
// lines in the sink, writing each packet once and never hiding a hole.
//
// It tracks (epoch, last_seq), the newest packet the file holds. A packet
// at or below last_seq is acknowledged again but not written; a packet past
// last_seq + 1 that no gap message announced is written after a "missing"
// gap; a new epoch is written as a gap to the end of the old one.
class recorder {
public:
  explicit recorder(sink& out);

  // The hello to send on (re)connect, carrying the resume point if any.
  protocol::hello hello(const std::string& name) const;

  void on_connected(const std::string& url, std::int64_t now);
  void on_disconnected(const std::string& reason, std::int64_t now);

  // Handles one server message; returns the seq to acknowledge, if any.
  // An ack goes out only once the packet's lines are in the file.
  std::optional<std::uint64_t> on_message(const protocol::server_message& m, std::int64_t recv_ts);

  std::uint64_t packets_written() const { return written_; }
  std::uint64_t last_seq() const { return last_seq_; }

private:
  std::optional<std::uint64_t> on_packet(const packet& p, std::int64_t recv_ts);
  void on_gap(const protocol::gap& g, std::int64_t now);
  void write_gap(std::uint64_t from, std::optional<std::uint64_t> to, const std::string& reason, std::int64_t now);
  void enter_server_epoch(std::int64_t now);

  sink& out_;
  std::optional<std::uint64_t> epoch_;  // epoch of last_seq_; empty until the first packet
  std::uint64_t last_seq_ = 0;
  std::uint64_t server_epoch_ = 0;      // from this connection's welcome
  std::uint64_t written_ = 0;
};

}  // namespace arraycast
