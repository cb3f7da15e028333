#include "core/binary_packet.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>

namespace arraycast::protocol {

namespace {

// Header field offsets; docs/PROTOCOL.md has the same table.
constexpr std::size_t at_version = 0, at_width = 1, at_kind = 2, at_shape = 3, at_count = 4, at_seq = 8, at_ts = 16;
static_assert(at_ts + 8 == binary_header_size);
enum : std::uint8_t { kind_int = 0, kind_float = 1 };
enum : std::uint8_t { shape_uniform = 0, shape_ragged = 1 };

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

// What the values are: all integers, all doubles, or both (no binary form).
struct value_kind {
  bool ints = false, floats = false;
};

value_kind kinds_of(const std::vector<array_t>& arrays) {
  value_kind k;
  for (const auto& a : arrays)
    for (const auto v : a) (v.is_float() ? k.floats : k.ints) = true;
  return k;
}

// The smallest of 1, 2, 4 or 8 bytes that holds every integer: the default
// stream's 0..99 then costs one byte per value instead of up to three in JSON.
std::size_t int_width(const std::vector<array_t>& arrays) {
  std::int64_t lo = 0, hi = 0;
  for (const auto& a : arrays) {
    for (const auto v : a) {
      lo = std::min(lo, v.as_int());
      hi = std::max(hi, v.as_int());
    }
  }
  for (const std::size_t width : {1U, 2U, 4U}) {
    const auto limit = std::int64_t{1} << (8 * width - 1);
    if (lo >= -limit && hi < limit) return width;
  }
  return 8;
}

// One length field serves every array when they share a non-zero length;
// otherwise each array has its own. Empty arrays take a field each: a uniform
// header could stand for a million empty arrays in 28 bytes, which decoders
// refuse. No arrays at all then need no field.
bool is_ragged(const std::vector<array_t>& arrays) {
  if (arrays.empty() || arrays[0].empty()) return true;
  const auto n = arrays[0].size();
  return std::any_of(arrays.begin(), arrays.end(), [&](const array_t& a) { return a.size() != n; });
}

std::size_t total_values(const std::vector<array_t>& arrays) {
  std::size_t n = 0;
  for (const auto& a : arrays) n += a.size();
  return n;
}

decode_error bad(std::string message) { return {"bad_message", std::move(message)}; }

decode_error bad_size(std::string what, std::size_t size) {
  what += std::to_string(size);
  return bad(std::move(what));
}

// The header of a message, checked against its size.
struct layout {
  std::size_t width = 0;
  bool floats = false;
  bool ragged = false;
  std::size_t count = 0;      // arrays
  std::size_t values_at = 0;  // the lengths end here
};

// Callers have checked that the message holds its length fields.
std::size_t length_of(std::string_view in, const layout& l, std::size_t array) {
  return get_le(in, binary_header_size + 4 * (l.ragged ? array : 0), 4);
}

// At most 10^6 lengths of < 2^32 each: the sum cannot overflow 64 bits.
std::uint64_t total_of(std::string_view in, const layout& l) {
  if (!l.ragged) return l.count * length_of(in, l, 0);
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < l.count; ++i) total += length_of(in, l, i);
  return total;
}

// Everything the header promises is checked against the message's size
// before anything is allocated for it.
std::variant<decode_error, layout> read_shape(std::string_view in, layout l) {
  const auto shape = get_le(in, at_shape, 1);
  l.count = get_le(in, at_count, 4);
  if (shape != shape_uniform && shape != shape_ragged) return bad_size("binary packet of unknown shape ", shape);
  if (l.count > max_packet_values) return bad_size("binary packet with too many arrays: ", l.count);
  l.ragged = shape == shape_ragged;
  l.values_at = binary_header_size + 4 * (l.ragged ? l.count : 1);
  if (in.size() < l.values_at) return bad_size("binary packet shorter than its header and lengths: ", in.size());
  if (!l.ragged && l.count > 0 && length_of(in, l, 0) == 0)
    return bad("binary packet of empty arrays in the uniform shape (empty arrays are sent ragged)");
  const auto total = total_of(in, l);
  if (total > max_packet_values) return bad("binary packet with more values than a packet may hold");
  if (in.size() != l.values_at + total * l.width)
    return bad_size("binary packet size does not match its header, which needs ", l.values_at + total * l.width);
  return l;
}

std::variant<decode_error, layout> read_layout(std::string_view in) {
  layout l;
  l.width = get_le(in, at_width, 1);
  const auto kind = get_le(in, at_kind, 1);
  if (kind != kind_int && kind != kind_float) return bad_size("binary packet of unknown value kind ", kind);
  l.floats = kind == kind_float;
  if (l.floats ? l.width != 8 : (l.width != 1 && l.width != 2 && l.width != 4 && l.width != 8))
    return bad_size("binary packet value width must be 1, 2, 4 or 8 for integers and 8 for doubles, not ", l.width);
  return read_shape(in, std::move(l));
}

// The layout has been checked to fill `in` exactly, so every read is in bounds.
std::variant<decode_error, std::vector<array_t>> get_values(std::string_view in, const layout& l) {
  std::vector<array_t> arrays;
  arrays.reserve(l.count);
  auto at = l.values_at;
  for (std::size_t array = 0; array < l.count; ++array) {
    const auto n = length_of(in, l, array);
    auto& a = arrays.emplace_back();
    a.reserve(n);
    for (std::size_t i = 0; i < n; ++i, at += l.width) {
      if (!l.floats) {
        a.emplace_back(get_signed(in, at, l.width));
        continue;
      }
      const auto d = std::bit_cast<double>(get_le(in, at, 8));
      if (!std::isfinite(d)) return bad("binary packet with a value that is not a finite number");
      a.emplace_back(d);
    }
  }
  return arrays;
}

std::uint64_t bits_of(value v, bool floats) {
  return floats ? std::bit_cast<std::uint64_t>(v.as_double()) : static_cast<std::uint64_t>(v.as_int());
}

}  // namespace

std::string encode_binary(const packet& m) {
  const auto kinds = kinds_of(m.arrays);
  if ((kinds.ints && kinds.floats) || m.arrays.size() > max_packet_values) return {};
  const auto ragged = is_ragged(m.arrays);
  const auto width = kinds.floats ? 8 : int_width(m.arrays);
  const auto values_at = binary_header_size + 4 * (ragged ? m.arrays.size() : 1);
  std::string out(values_at + total_values(m.arrays) * width, '\0');
  put_le(out, at_version, binary_version, 1);
  put_le(out, at_width, width, 1);
  put_le(out, at_kind, kinds.floats ? kind_float : kind_int, 1);
  put_le(out, at_shape, ragged ? shape_ragged : shape_uniform, 1);
  put_le(out, at_count, m.arrays.size(), 4);
  put_le(out, at_seq, m.seq, 8);
  put_le(out, at_ts, static_cast<std::uint64_t>(m.ts), 8);
  for (std::size_t i = 0; i < (ragged ? m.arrays.size() : 1); ++i)
    put_le(out, binary_header_size + 4 * i, m.arrays[i].size(), 4);
  auto at = values_at;
  for (const auto& a : m.arrays) {
    for (const auto v : a) {
      put_le(out, at, bits_of(v, kinds.floats), width);
      at += width;
    }
  }
  return out;
}

server_message decode_binary(std::string_view in) {
  if (in.size() < binary_header_size) return bad_size("binary packet shorter than its 24-byte header: ", in.size());
  const auto version = get_le(in, at_version, 1);
  if (version != binary_version)
    return bad_size("binary packet of layout version 2 expected (this client is too old or too new), got ", version);
  auto l = read_layout(in);
  if (auto* e = std::get_if<decode_error>(&l)) return std::move(*e);
  packet p{get_le(in, at_seq, 8), static_cast<std::int64_t>(get_le(in, at_ts, 8)), {}};
  if (p.seq == 0) return bad("binary packet needs seq >= 1");
  auto values = get_values(in, std::get<layout>(l));
  if (auto* e = std::get_if<decode_error>(&values)) return std::move(*e);
  p.arrays = std::move(std::get<std::vector<array_t>>(values));
  return p;
}

std::optional<binary_head> peek_binary(std::string_view in) {
  if (in.size() < binary_header_size || get_le(in, at_version, 1) != binary_version) return std::nullopt;
  return binary_head{get_le(in, at_seq, 8), static_cast<std::int64_t>(get_le(in, at_ts, 8))};
}

}  // namespace arraycast::protocol
