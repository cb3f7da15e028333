#pragma once

#include <atomic>
#include <cstdint>

namespace arraycast {

// A node of a broker's stream; all zero on a single node.
struct broker_metrics {
  std::atomic<bool> enabled{false};
  std::atomic<bool> connected{false};
  std::atomic<bool> producing{false};             // this node is the stream's active producer
  std::atomic<std::uint64_t> stream_last_seq{0};  // the stream's newest seq, as last heard from the broker
  std::atomic<std::uint64_t> published{0};        // packets this node put into the stream
  std::atomic<std::uint64_t> dropped{0};          // its source's packets that never got there
  std::atomic<std::uint64_t> replayed{0};         // frames read back from the broker for resuming clients
  std::atomic<std::uint64_t> rejected{0};         // messages in the stream that were not packets
};

}  // namespace arraycast
