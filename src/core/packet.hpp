#pragma once

#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace arraycast {

// One number of an array: an integer or a finite double. Integers are kept
// exact (a double alone loses them past 2^53), and each value keeps its kind,
// so that `1` and `1.0` travel and record as the producer wrote them.
class value {
public:
  constexpr value() = default;
  template <std::integral T>
  constexpr value(T v) : bits_(static_cast<std::int64_t>(v)) {}  // NOLINT: numbers convert implicitly
  constexpr value(double v) : bits_(std::bit_cast<std::int64_t>(v)), is_float_(true) {}  // NOLINT

  constexpr bool is_float() const { return is_float_; }
  constexpr std::int64_t as_int() const { return is_float_ ? static_cast<std::int64_t>(as_double()) : bits_; }
  constexpr double as_double() const {
    return is_float_ ? std::bit_cast<double>(bits_) : static_cast<double>(bits_);
  }
  // Same kind and same number (bit for bit for doubles): what a round trip must keep.
  friend constexpr bool operator==(const value&, const value&) = default;

private:
  std::int64_t bits_ = 0;  // the integer, or the double's bits
  bool is_float_ = false;
};

// Arrays may differ in length within a packet, and packets in shape.
using array_t = std::vector<value>;

// The most values one packet may carry, all arrays together, and the most
// arrays: a few MB of JSON, encoded once and held by history and every queue.
// Beyond it a packet is not a stream's packet but a file transfer, and would
// exhaust memory.
inline constexpr std::size_t max_packet_values = 1'000'000;

// One packet of the stream: what a source produces and a client records.
struct packet {
  std::uint64_t seq = 0;       // 1 for the first packet of an epoch
  std::int64_t ts = 0;         // µs since the Unix epoch: the producer's own, or the server's when it had none
  std::vector<array_t> arrays;

  friend bool operator==(const packet&, const packet&) = default;
};

}  // namespace arraycast
