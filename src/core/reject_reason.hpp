#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace arraycast {

// Why an input (a line, a datagram, a published message) is not a packet: a
// fixed set, so that arraycast_source_rejected_total has bounded labels.
enum class reject_reason : std::size_t {
  not_a_packet,     // not JSON, not numbers, or not shaped like a packet
  bad_value,        // a value that is not a finite number, or an integer beyond 64 bits
  too_long,         // over --max-message bytes
  too_many_values,  // over max_packet_values
  bad_binary,       // a datagram that is not a well-formed binary packet
};
inline constexpr std::array<std::string_view, 5> reject_reason_names{"not_a_packet", "bad_value", "too_long",
                                                                     "too_many_values", "bad_binary"};

}  // namespace arraycast
