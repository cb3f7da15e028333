#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace arraycast {

// One message exactly as it goes on the wire: a final, unmasked WebSocket
// frame (RFC 6455 §5.2), header then payload, contiguous. A server's frames
// are the same bytes for every client, so they are framed once and every
// session writes them as they are.
struct wire_message {
  std::string bytes;        // empty: the message has no such form
  std::size_t header = 0;   // the header's length, 2 to 10 bytes

  bool empty() const { return bytes.empty(); }
  std::string_view payload() const { return std::string_view(bytes).substr(header); }
};

enum class ws_opcode : std::uint8_t { text = 0x1, binary = 0x2 };

wire_message frame_message(ws_opcode op, std::string_view payload);

// A packet, or a control message, serialized and framed once per encoding.
// Every session, the history and the backplane share the same immutable
// frame; nobody copies its bytes.
struct frame {
  std::uint64_t seq = 0;     // 0 for control messages; a gap's last seq
  std::uint64_t gap_from = 0;  // a gap in the sequence (seqs gap_from..seq never existed): its first seq
  std::int64_t ts = 0;       // packet ts, kept for receipt logs without re-parsing
  std::size_t arrays = 0;    // array count, likewise
  wire_message text;         // the JSON message
  // The binary packet (core/binary_packet.hpp) for clients that asked for it;
  // empty for control messages, which go out as `text`.
  wire_message binary;

  bool is_gap() const { return gap_from != 0; }
  // The first seq this frame stands for.
  std::uint64_t first_seq() const { return is_gap() ? gap_from : seq; }

  // What a client that asked for binary (or not) receives.
  const wire_message& for_client(bool wants_binary) const {
    return wants_binary && !binary.empty() ? binary : text;
  }
};

using frame_ptr = std::shared_ptr<const frame>;

frame_ptr make_frame(std::uint64_t seq, std::int64_t ts, std::size_t arrays, std::string_view text,
                     std::string_view binary = {});
// A control message (welcome, gap, error): JSON only, outside the sequence.
inline frame_ptr make_control_frame(std::string_view text) { return make_frame(0, 0, 0, text); }
// A gap inside the sequence, announced live and held by history like a
// packet: the stream used seqs from..to for packets its source lost.
frame_ptr make_gap_frame(std::uint64_t from, std::uint64_t to, std::string_view text);

}  // namespace arraycast
