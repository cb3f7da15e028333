#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace arraycast {

// What the server remembers of each producer's packets, so that a packet
// resent after a reconnect is acknowledged again with the seq it was given
// the first time, and never streamed twice. Pure: /publish's source owns one
// and guards it.
//
// A producer's pseqs are accepted in increasing order only: pseq <= the
// highest accepted is a resend; pseq > highest + 1 means the producer never
// sent the ones between (it dropped them), which the caller announces as
// lost. The first pseq of a producer the ledger does not know (a new
// producer, or any producer after a server restart) starts it, whatever it is.
// Bounded: the newest `window` pseqs of each of the `producers` most
// recently heard producers.
class producer_ledger {
public:
  enum class kind {
    fresh,      // new: stream it; `skipped` pseqs before it will never come
    pending,    // a resend of a packet not yet in history: its ack is still to come
    published,  // a resend of a packet in history as `seq`: ack it again
    too_old,    // a resend older than the window: it was streamed, its seq is forgotten
  };
  struct verdict {
    kind what = kind::fresh;
    std::uint64_t seq = 0;      // published: the seq it was given
    std::uint64_t skipped = 0;  // fresh: pseqs jumped over since the highest accepted
  };

  static constexpr std::size_t default_window = 65536;  // above publish's largest --buffer
  static constexpr std::size_t default_producers = 16;  // producers come one at a time

  explicit producer_ledger(std::size_t window = default_window, std::size_t producers = default_producers);

  // Judges packet `pseq` of `producer` and, when it is fresh, records it as pending.
  verdict accept(std::string_view producer, std::uint64_t pseq);
  // Packet `pseq` of `producer` is in history as `seq`. Unknown ones (fallen
  // out of the window meanwhile) are ignored.
  void published(std::string_view producer, std::uint64_t pseq, std::uint64_t seq);

private:
  struct entry {
    std::uint64_t pseq;
    std::uint64_t seq;  // 0: pending
  };
  struct producer {
    std::string id;
    std::deque<entry> recent;  // ascending pseq, at most window_
  };

  producer& find_or_add(std::string_view id);
  entry* find(producer& p, std::uint64_t pseq);

  std::size_t window_;
  std::size_t max_producers_;
  std::vector<producer> producers_;  // most recently heard last
};

}  // namespace arraycast
