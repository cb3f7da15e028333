#include "core/frame.hpp"

namespace arraycast {

namespace {

constexpr std::uint8_t fin = 0x80;
constexpr std::size_t max_7bit = 125;      // longer payloads need an extended length
constexpr std::size_t max_16bit = 0xFFFF;

void append_big_endian(std::string& out, std::uint64_t value, int bytes) {
  for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) out.push_back(static_cast<char>((value >> shift) & 0xFF));
}

}  // namespace

wire_message frame_message(ws_opcode op, std::string_view payload) {
  wire_message m;
  m.bytes.reserve(payload.size() + 10);
  m.bytes.push_back(static_cast<char>(fin | static_cast<std::uint8_t>(op)));
  const auto n = payload.size();
  if (n <= max_7bit) {
    m.bytes.push_back(static_cast<char>(n));
  } else if (n <= max_16bit) {
    m.bytes.push_back(126);
    append_big_endian(m.bytes, n, 2);
  } else {
    m.bytes.push_back(127);
    append_big_endian(m.bytes, n, 8);
  }
  m.header = m.bytes.size();
  m.bytes.append(payload);
  return m;
}

frame_ptr make_frame(std::uint64_t seq, std::int64_t ts, std::size_t arrays, std::string_view text,
                     std::string_view binary) {
  return std::make_shared<const frame>(frame{seq, 0, ts, arrays, frame_message(ws_opcode::text, text),
                                             binary.empty() ? wire_message{} : frame_message(ws_opcode::binary, binary)});
}

frame_ptr make_gap_frame(std::uint64_t from, std::uint64_t to, std::string_view text) {
  return std::make_shared<const frame>(frame{to, from, 0, 0, frame_message(ws_opcode::text, text), {}});
}

}  // namespace arraycast
