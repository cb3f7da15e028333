#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/packet.hpp"
#include "core/reject_reason.hpp"
#include "core/protocol.hpp"

namespace arraycast {

// A packet as a source delivers it: the stream, not the source, gives it a
// seq, and a ts when the source has none of its own.
struct source_packet {
  std::vector<array_t> arrays;
  std::optional<std::int64_t> ts;  // the producer's own time, µs since the Unix epoch
  // Runs on the stream's strand once the packet is in history and every live
  // session has written it to its socket (a session slower than the stream's
  // stall limit is not waited for), with the seq it was given: how /publish
  // acknowledges a producer. May be empty.
  std::function<void(std::uint64_t seq)> on_published;
};

// Where a source delivers: the stream. Every call may come from any thread,
// returns at once and never blocks.
class packet_sink {
public:
  virtual ~packet_sink() = default;

  // Packets are streamed in the order of push().
  virtual void push(source_packet p) = 0;
  // `count` packets that the producer lost before they reached us (a gap in
  // a replayed recording): clients are told with a gap, not left guessing.
  virtual void lost(std::uint64_t count, std::string reason) = 0;
  // An input that is not a packet (a malformed line or datagram): counted by
  // reason, logged with `detail` while few.
  virtual void rejected(reject_reason reason, std::string_view detail) = 0;
  // The source has nothing more, ever (EOF on stdin, a replay without --loop).
  virtual void ended() = 0;
  // Flow control for a source that can wait (a simulation, a replay at full
  // speed): `next` runs, once, when the stream can take another packet
  // without outrunning its clients. Live sources never wait: a slow client
  // must not slow a producer down.
  virtual void when_ready(std::function<void()> next) = 0;
};

// Where the stream's packets come from.
//
// Contract: start() is called once, before any client can connect; from then
// on the source pushes to `out` as packets come, from its own asynchronous
// reads or its own thread, never blocking an event loop. After stop()
// returns it pushes nothing more. What seq and epoch mean is the stream's
// business: a source only orders its packets.
class packet_source {
public:
  virtual ~packet_source() = default;
  // For the welcome: what kind of source this is, and what it can promise.
  virtual protocol::stream_info describe() const = 0;
  virtual void start(packet_sink& out) = 0;
  virtual void stop() = 0;
};

}  // namespace arraycast
