#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "backplane/nats_link.hpp"

namespace arraycast {

// One message of the broker's stream, as read.
struct stream_message {
  std::uint64_t seq = 0;      // the stream's seq: the packet's seq on every node
  std::uint64_t pending = 0;  // messages after it in the stream when it was sent
  std::string payload;
  std::string info;           // the producer's stream_info header ("" when absent)
};

// Reads the broker's stream in seq order from a given seq, through an
// ordered JetStream consumer (no acks, no redelivery, flow controlled). One
// thread uses it; next() blocks for at most its timeout.
class stream_reader {
public:
  explicit stream_reader(nats_link& link) : link_(link) {}
  ~stream_reader() { close(); }
  stream_reader(const stream_reader&) = delete;
  stream_reader& operator=(const stream_reader&) = delete;

  // Starts reading at `seq`. Returns the library's error when it cannot.
  std::optional<std::string> open(std::uint64_t seq);
  void close();
  bool is_open() const { return sub_ != nullptr; }

  struct timed_out {};
  struct failed { std::string why; };  // the subscription is gone: open() again
  std::variant<stream_message, timed_out, failed> next(std::chrono::milliseconds timeout);

  // The broker's header that carries the producer's stream_info.
  static constexpr const char* info_header = "Arraycast-Stream";

private:
  nats_link& link_;
  natsSubscription* sub_ = nullptr;
};

}  // namespace arraycast
