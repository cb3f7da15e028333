#pragma once

#include <functional>

#include "core/frame.hpp"

namespace arraycast {

// The seam between the stream that produces frames and the hubs that fan
// them out. Single-node runs use local_backplane; a broker-backed backplane
// (Redis, NATS) carries the same frames to every node's hub.
//
// Contract:
// - publish() is called by one producer (the stream strand), seq strictly
//   increasing within an epoch. The frame is already serialized; the
//   backplane never re-encodes it.
// - Every handler registered with on_frame() sees frames in publish order,
//   each at most once. A broker backplane may drop frames while a node is
//   cut off; hubs announce the hole to clients as a gap, never hide it.
// - on_frame() is called before the first publish(); handlers may run on
//   any thread and must not block.
class backplane {
public:
  using handler = std::function<void(const frame_ptr&)>;
  virtual ~backplane() = default;
  virtual void publish(frame_ptr f) = 0;
  virtual void on_frame(handler h) = 0;
};

}  // namespace arraycast
