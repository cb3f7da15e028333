#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "core/protocol.hpp"
#include "loadgen/client_stats.hpp"

namespace arraycast {

// Counts, for one load client, what the stream delivered across reconnects
// and server restarts, into its client_stats. Pure: no I/O, one thread.
//
// Missing, per epoch: every seq between the baseline and the last one
// received that never arrived, plus every seq a bounded `gap` announced.
// The baseline is the first packet received in that epoch, or seq 0 when the
// client entered the epoch by resuming (the server then replays it from seq
// 1, so a hole at its start is a loss too). What a `to: null` gap ends (the
// killed server's tail) is counted apart, by the composition root, from the
// epoch_end records. A seq at or below the last one is a duplicate.
//
// Caught up: since the latest welcome, a packet whose seq is at least that
// welcome's `head` (the newest packet the server had when the client came
// back) has arrived; with head 0, at the welcome itself.
class seq_tracker {
public:
  using clock = std::chrono::steady_clock;

  explicit seq_tracker(client_stats& stats) : stats_(stats) {}

  // The hello for a new connection: a resume when the client has a baseline.
  protocol::hello hello(std::string name);
  void on_welcome(std::uint64_t epoch, std::uint64_t head, clock::time_point now);
  void on_gap(const protocol::gap& g);

  // The hot path: a few compares per packet.
  void on_packet(std::uint64_t seq) {
    if (baseline_ && seq <= last_seq_) {
      ++stats_.duplicates;
      return;
    }
    if (baseline_ && seq > last_seq_ + 1) stats_.missing += seq - last_seq_ - 1;
    last_seq_ = seq;
    baseline_ = true;
    if (!caught_up_ && seq >= catch_up_to_) mark_caught_up(clock::now());
  }

private:
  void mark_caught_up(clock::time_point now);

  client_stats& stats_;
  std::uint64_t epoch_ = 0;        // of the packets counted; 0: no welcome yet
  std::uint64_t last_seq_ = 0;     // the newest seq received or announced lost in epoch_
  bool baseline_ = false;          // last_seq_ is a position in epoch_ (see above)
  bool resuming_ = false;          // this connection's hello carried epoch and last_seq
  std::uint64_t catch_up_to_ = 0;  // the latest welcome's head
  bool caught_up_ = false;
};

}  // namespace arraycast
