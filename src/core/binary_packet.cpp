#include "core/binary_packet.hpp"

#include <algorithm>
#include <cstdint>

namespace arraycast::protocol {

namespace {

// Header field offsets; docs/PROTOCOL.md has the same table.
constexpr std::size_t at_version = 0, at_width = 1, at_count = 2, at_length = 4, at_seq = 8, at_ts = 16;
static_assert(at_ts + 8 == binary_header_size);

// Little-endian by explicit shifts, so the bytes do not depend on the host.
void put_le(std::string& out, std::size_t at, std::uint64_t v, std::size_t width) {
  for (std::size_t i = 0; i < width; ++i) out[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

// Callers have checked that [at, at + width) lies inside `in`.
std::uint64_t get_le(std::string_view in, std::size_t at, std::size_t width) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < width; ++i) v |= std::uint64_t{static_cast<unsigned char>(in[at + i])} << (8 * i);
  return v;
}

// Two's complement in `width` bytes, sign-extended to 64 bits.
std::int64_t get_signed(std::string_view in, std::size_t at, std::size_t width) {
  const auto unused = 64 - 8 * width;
  return static_cast<std::int64_t>(get_le(in, at, width) << unused) >> unused;
}

// The smallest of 1, 2, 4 or 8 bytes that holds every value: the default
// stream's 0..99 then costs one byte per value instead of up to three in JSON.
std::size_t value_width(const std::vector<array_t>& arrays) {
  std::int64_t lo = 0, hi = 0;
  for (const auto& a : arrays) {
    for (const auto v : a) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  }
  for (const std::size_t width : {1U, 2U, 4U}) {
    const auto limit = std::int64_t{1} << (8 * width - 1);
    if (lo >= -limit && hi < limit) return width;
  }
  return 8;
}

bool has_binary_form(const packet& m) {
  if (m.arrays.size() > UINT16_MAX) return false;
  const auto length = m.arrays.empty() ? 0 : m.arrays.front().size();
  return length <= UINT32_MAX &&
         std::all_of(m.arrays.begin(), m.arrays.end(), [&](const array_t& a) { return a.size() == length; });
}

decode_error bad(std::string message) { return {"bad_message", std::move(message)}; }

decode_error bad_size(std::string what, std::size_t size) {
  what += std::to_string(size);
  return bad(std::move(what));
}

// Values are checked to fill `in` exactly, so every read below is in bounds.
std::vector<array_t> get_values(std::string_view in, std::size_t count, std::size_t length, std::size_t width) {
  // Row by row, not arrays(count, array_t(length)): with count 0 that
  // prototype row alone could be 2^32 values that the size check never saw.
  std::vector<array_t> arrays;
  arrays.reserve(count);
  auto at = binary_header_size;
  for (std::size_t i = 0; i < count; ++i) {
    auto& a = arrays.emplace_back(length);
    for (auto& v : a) {
      v = get_signed(in, at, width);
      at += width;
    }
  }
  return arrays;
}

}  // namespace

std::string encode_binary(const packet& m) {
  if (!has_binary_form(m)) return {};
  const auto count = m.arrays.size();
  const auto length = count == 0 ? 0 : m.arrays.front().size();
  const auto width = value_width(m.arrays);
  std::string out(binary_header_size + count * length * width, '\0');
  put_le(out, at_version, binary_version, 1);
  put_le(out, at_width, width, 1);
  put_le(out, at_count, count, 2);
  put_le(out, at_length, length, 4);
  put_le(out, at_seq, m.seq, 8);
  put_le(out, at_ts, static_cast<std::uint64_t>(m.ts), 8);
  auto at = binary_header_size;
  for (const auto& a : m.arrays) {
    for (const auto v : a) {
      put_le(out, at, static_cast<std::uint64_t>(v), width);
      at += width;
    }
  }
  return out;
}

server_message decode_binary(std::string_view in) {
  if (in.size() < binary_header_size) return bad_size("binary packet shorter than its 24-byte header: ", in.size());
  const auto version = get_le(in, at_version, 1);
  if (version != binary_version) return bad_size("binary packet of unknown version ", version);
  const auto width = get_le(in, at_width, 1);
  if (width != 1 && width != 2 && width != 4 && width != 8)
    return bad_size("binary packet value width must be 1, 2, 4 or 8, not ", width);
  const auto count = get_le(in, at_count, 2);
  const auto length = get_le(in, at_length, 4);
  // Cannot overflow: at most 2^16 * 2^32 * 8 bytes.
  const auto expected = binary_header_size + count * length * width;
  if (in.size() != expected) return bad_size("binary packet size does not match its header, which needs ", expected);
  packet p{get_le(in, at_seq, 8), static_cast<std::int64_t>(get_le(in, at_ts, 8)), {}};
  if (p.seq == 0) return bad("binary packet needs seq >= 1");
  p.arrays = get_values(in, count, length, width);
  return p;
}

std::optional<binary_head> peek_binary(std::string_view in) {
  if (in.size() < binary_header_size || get_le(in, at_version, 1) != binary_version) return std::nullopt;
  return binary_head{get_le(in, at_seq, 8), static_cast<std::int64_t>(get_le(in, at_ts, 8))};
}

}  // namespace arraycast::protocol
