#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "recorder/recording_reader.hpp"
#include "verify/seq_set.hpp"

namespace arraycast {

// The first `limit` of a kind of finding, and how many there were.
template <typename T>
struct findings {
  static constexpr std::size_t limit = 20;  // enough to see the pattern; the count says the rest
  std::vector<T> first;
  std::uint64_t count = 0;
  void add(T t) {
    if (++count <= limit) first.push_back(std::move(t));
  }
};

struct epoch_summary {
  std::uint64_t epoch = 0;
  std::uint64_t packets = 0;
  std::uint64_t first_seq = 0;  // the lowest seq recorded
  std::uint64_t last_seq = 0;   // the highest
};

struct announced_gap {
  std::uint64_t line = 0;
  std::optional<std::uint64_t> epoch;  // empty: announced after the last packet, before any of the next epoch's
  std::uint64_t from = 0;
  std::optional<std::uint64_t> to;     // empty: the rest of the previous epoch
  std::string reason;
};

// Seqs that no packet and no gap event accounts for.
struct silent_hole {
  std::uint64_t epoch = 0;
  std::uint64_t from = 0;
  std::optional<std::uint64_t> to;  // empty: the epoch changed with no gap event, its rest unaccounted
};

// A packet out of place: a duplicate (seen before) or reordered (after a later seq).
struct misplaced_packet {
  std::uint64_t line = 0;
  std::uint64_t epoch = 0;
  std::uint64_t seq = 0;
  std::uint64_t after = 0;  // the highest seq of its epoch before it
};

struct recording_summary {
  std::uint64_t packets = 0;
  std::uint64_t events = 0;
  std::vector<epoch_summary> epochs;  // in the order they first appear
  findings<announced_gap> gaps;
  std::uint64_t announced_lost = 0;   // packets the bounded gaps stand for
  findings<silent_hole> holes;
  findings<misplaced_packet> duplicates;
  findings<misplaced_packet> reordered;
  findings<unreadable_line> unreadable;

  // Nothing missing that was not announced, nothing twice or out of order, every line read.
  bool ok() const { return holes.count + duplicates.count + reordered.count + unreadable.count == 0; }
};

// What a recording holds, from its items in file order. Pure: no I/O.
//
// Accounting, per epoch: every seq from the epoch's start to its highest
// recorded or announced seq must be a packet or inside a gap event. The
// start is seq 1, except for the file's first epoch, which starts where the
// recording did (a recorder may join a stream late). A bounded gap belongs to
// the epoch of the packets around it; one after a `to: null` gap (a new
// epoch) or before any packet belongs to the next packet's epoch.
class recording_check {
public:
  void add(const recording_item& item);
  recording_summary finish();

private:
  struct epoch_state {
    epoch_summary summary;
    bool from_start = false;  // accounted from seq 1
    seq_set packets;
    seq_set announced;
    std::uint64_t announced_from = 0;  // the lowest announced seq (0: none)
    std::uint64_t announced_to = 0;    // the highest
  };

  void add_packet(const recorded_packet& p);
  void add_event(const recorded_event& e);
  epoch_state& enter(std::uint64_t epoch);
  void announce(epoch_state& st, announced_gap g);

  recording_summary out_;
  std::vector<std::uint64_t> order_;            // epochs in the order they appear
  std::map<std::uint64_t, epoch_state> epochs_;
  std::optional<std::uint64_t> current_;        // the epoch of the last packet
  bool epoch_closed_ = false;                   // a `to: null` gap since that packet
  std::vector<announced_gap> pending_;          // bounded gaps waiting for the next packet's epoch
};

}  // namespace arraycast
