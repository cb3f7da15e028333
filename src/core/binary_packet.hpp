#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/packet.hpp"
#include "core/protocol.hpp"

// The compact binary form of a packet, for clients whose hello asked for
// encoding "binary". Pure functions, like protocol.hpp; only packets have a
// binary form, every other message stays JSON text.
namespace arraycast::protocol {

// The binary packet layout, version 2 (docs/PROTOCOL.md, "Binary packets"):
// a 24-byte little-endian header, the arrays' lengths, then every value as an
// integer at the smallest width that holds them all, or as a double. Returns
// an empty string when the packet has no binary form (it mixes integers and
// doubles, or has more than max_packet_values arrays): the server then sends
// that packet as JSON, which keeps each value's kind and which binary clients
// also read.
inline constexpr std::size_t binary_header_size = 24;
inline constexpr std::uint8_t binary_version = 2;
std::string encode_binary(const packet& m);

// Decodes one binary WebSocket message: a packet, or a decode_error when the
// bytes are not exactly one well-formed version-2 packet (a version-1 packet
// is refused by its version byte). Never reads past `bytes`.
server_message decode_binary(std::string_view bytes);

// A binary packet's seq and ts, read from its header alone: what the load
// generator needs per message, without decoding the values. nullopt unless
// `bytes` starts with a whole version-2 header.
struct binary_head {
  std::uint64_t seq = 0;
  std::int64_t ts = 0;
};
std::optional<binary_head> peek_binary(std::string_view bytes);

}  // namespace arraycast::protocol
