#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

namespace arraycast {

// When each recent packet was generated, for receipt logs: the session that
// reads an ack finds its packet's ts here without taking the hub's lock.
// One writer (the hub's broadcast, in seq order); readers on any thread.
// Each slot is a seqlock whose version is the packet's seq, so a reader
// either gets the stamp of exactly the seq it asked for or nothing.
class packet_stamps {
public:
  // 41 s at 100 packets/s, 2.3 hours of the default stream: acks come back
  // in milliseconds, replays of older packets get a line without latency.
  static constexpr std::size_t capacity = 4096;

  struct stamp {
    std::int64_t ts = 0;      // µs since the Unix epoch, as sent
    std::size_t arrays = 0;
  };

  packet_stamps();

  // The writer only; seq >= 1.
  void push(std::uint64_t seq, const stamp& s);
  // Any thread: the stamp of `seq` if it is among the last `capacity` pushed.
  std::optional<stamp> find(std::uint64_t seq) const;

private:
  struct slot {
    std::atomic<std::uint64_t> seq{0};  // 0 while being written
    std::atomic<std::int64_t> ts{0};
    std::atomic<std::size_t> arrays{0};
  };
  std::unique_ptr<slot[]> slots_;  // capacity of them; 96 KiB
};

}  // namespace arraycast
