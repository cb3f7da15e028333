#include "core/binary_packet.hpp"

#include <cstdint>
#include <limits>
#include <string>
#include <variant>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace arraycast {
namespace {

using namespace protocol;
using i64 = std::numeric_limits<std::int64_t>;
using f64 = std::numeric_limits<double>;

// Bytes as "02 01 00 00 ...", so a failure shows where the layout differs.
std::string hex(std::string_view bytes) {
  std::string out;
  for (const auto c : bytes) out += fmt::format("{}{:02x}", out.empty() ? "" : " ", static_cast<unsigned char>(c));
  return out;
}

std::string unhex(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i + 1 < text.size(); i += 3)
    out.push_back(static_cast<char>(std::stoi(std::string(text.substr(i, 2)), nullptr, 16)));
  return out;
}

packet decoded(std::string_view bytes) {
  auto m = decode_binary(bytes);
  if (auto* e = std::get_if<decode_error>(&m)) ADD_FAILURE() << hex(bytes) << ": " << e->message;
  if (auto* p = std::get_if<packet>(&m)) return *p;
  ADD_FAILURE() << "not a packet: " << hex(bytes);
  return {};
}

decode_error rejected(std::string_view bytes) {
  auto m = decode_binary(bytes);
  EXPECT_TRUE(std::holds_alternative<decode_error>(m)) << "accepted: " << hex(bytes);
  if (auto* e = std::get_if<decode_error>(&m)) return *e;
  return {};
}

// The header's one-byte fields of a packet's encoding.
std::uint8_t byte_of(const packet& p, std::size_t at) { return static_cast<std::uint8_t>(encode_binary(p).at(at)); }
std::uint8_t width_of(const packet& p) { return byte_of(p, 1); }

// A 24-byte header as the layout describes it, for hand-made messages.
std::string header(std::uint8_t width, std::uint8_t kind, std::uint8_t shape, std::uint32_t count,
                   std::uint8_t version = binary_version) {
  return unhex(fmt::format("{:02x} {:02x} {:02x} {:02x} {:02x} {:02x} {:02x} {:02x} "
                           "07 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00",
                           version, width, kind, shape, count & 0xff, (count >> 8) & 0xff, (count >> 16) & 0xff,
                           count >> 24));
}

std::string u32(std::uint32_t v) {
  return unhex(fmt::format("{:02x} {:02x} {:02x} {:02x}", v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24));
}

// The two examples in docs/PROTOCOL.md, byte for byte.
const packet documented{42, 1764000000123456, {{58, 39, 38}, {1, 2, 3}}};
constexpr std::string_view documented_hex =
    "02 01 00 00 02 00 00 00 2a 00 00 00 00 00 00 00 40 22 64 41 59 44 06 00 03 00 00 00 3a 27 26 01 02 03";
const packet documented_ragged{43, 1764000000223456, {{2.5}, {-0.5, 1e300}}};
constexpr std::string_view documented_ragged_hex =
    "02 08 01 01 02 00 00 00 2b 00 00 00 00 00 00 00 e0 a8 65 41 59 44 06 00 01 00 00 00 02 00 00 00 "
    "00 00 00 00 00 00 04 40 00 00 00 00 00 00 e0 bf 9c 75 00 88 3c e4 37 7e";

TEST(binary_packet, documented_examples_encode_exactly) {
  EXPECT_EQ(hex(encode_binary(documented)), documented_hex);
  EXPECT_EQ(hex(encode_binary(documented_ragged)), documented_ragged_hex);
}

TEST(binary_packet, documented_examples_decode) {
  EXPECT_EQ(decoded(unhex(documented_hex)), documented);
  EXPECT_EQ(decoded(unhex(documented_ragged_hex)), documented_ragged);
}

TEST(binary_packet, the_default_packet_is_78_bytes) {
  const packet p{1, 0, std::vector<array_t>(5, array_t(10, value(99)))};
  EXPECT_EQ(encode_binary(p).size(), 78u);
}

TEST(binary_packet, round_trips) {
  const packet packets[] = {
      documented,
      documented_ragged,
      {1, 0, {}},
      {2, -5, {{}}},
      {2, -5, {{}, {}, {}}},
      {3, 1, {{}, {4, 5}, {}, {6}}},
      {i64::max() + 1ULL, i64::min(), {{i64::min(), 0, i64::max()}}},
      {7, 1, {{-1}, {-2}, {-3}, {-4}}},
      {8, 1, {{1.0, -0.0, 0.0}, {f64::max(), f64::lowest(), f64::denorm_min(), f64::min()}}},
      {9, 1, {{2.0}, {}, {1e300, -1e-300}}},
  };
  for (const auto& p : packets) EXPECT_EQ(decoded(encode_binary(p)), p) << hex(encode_binary(p));
}

TEST(binary_packet, doubles_stay_doubles_even_when_whole) {
  const auto p = decoded(encode_binary({1, 0, {{2.0, -3.0}}}));
  ASSERT_EQ(p.arrays.size(), 1u);
  for (const auto v : p.arrays[0]) EXPECT_TRUE(v.is_float());
  EXPECT_EQ(p.arrays[0][0].as_double(), 2.0);
}

TEST(binary_packet, doubles_are_8_byte_ieee_754_of_kind_1) {
  const packet p{1, 0, {{2.5}}};
  EXPECT_EQ(width_of(p), 8);
  EXPECT_EQ(byte_of(p, 2), 1);
  EXPECT_EQ(hex(encode_binary(p).substr(binary_header_size + 4)), "00 00 00 00 00 00 04 40");
  EXPECT_EQ(byte_of({1, 0, {{2}}}, 2), 0);
}

TEST(binary_packet, shape_is_uniform_only_for_arrays_of_one_non_zero_length) {
  EXPECT_EQ(byte_of(documented, 3), 0);
  EXPECT_EQ(byte_of({1, 0, {{1, 2}, {3}}}, 3), 1);
  EXPECT_EQ(byte_of({1, 0, {{1}, {}}}, 3), 1);
  EXPECT_EQ(byte_of({1, 0, {{}, {}}}, 3), 1);  // empty arrays cost a length each
  EXPECT_EQ(encode_binary({1, 0, {}}).size(), binary_header_size);  // no arrays, no lengths
  EXPECT_EQ(encode_binary({1, 0, {{1, 2}, {3}, {}}}).size(), binary_header_size + 3 * 4 + 3);
}

TEST(binary_packet, picks_the_smallest_width_that_holds_every_value) {
  EXPECT_EQ(width_of({1, 0, {}}), 1);
  EXPECT_EQ(width_of({1, 0, {{-128, 127}}}), 1);
  EXPECT_EQ(width_of({1, 0, {{128}}}), 2);
  EXPECT_EQ(width_of({1, 0, {{-129}}}), 2);
  EXPECT_EQ(width_of({1, 0, {{-32768, 32767}}}), 2);
  EXPECT_EQ(width_of({1, 0, {{0}, {32768}}}), 4);
  EXPECT_EQ(width_of({1, 0, {{-2147483648LL, 2147483647LL}}}), 4);
  EXPECT_EQ(width_of({1, 0, {{2147483648LL}}}), 8);
  EXPECT_EQ(width_of({1, 0, {{i64::min()}}}), 8);
}

TEST(binary_packet, every_width_round_trips_its_extremes) {
  for (const std::int64_t bound : {std::int64_t{127}, std::int64_t{32767}, std::int64_t{2147483647}, i64::max()}) {
    const packet p{9, 99, {{-bound - 1, bound, -1, 0, 1}, {bound / 2, -bound / 2, 5, -5, bound - 1}}};
    const auto bytes = encode_binary(p);
    EXPECT_EQ(bytes.size(), binary_header_size + 4 + 10 * std::size_t{width_of(p)});
    EXPECT_EQ(decoded(bytes), p) << bound;
  }
}

TEST(binary_packet, values_are_little_endian_twos_complement) {
  EXPECT_EQ(hex(encode_binary({1, 0, {{-2, 0x1234}}}).substr(binary_header_size + 4)), "fe ff 34 12");
}

TEST(binary_packet, decoder_accepts_a_wider_width_than_needed) {
  const auto bytes = header(8, 0, 0, 1) + u32(2) + unhex("ff ff ff ff ff ff ff ff 07 00 00 00 00 00 00 00");
  EXPECT_EQ(decoded(bytes), (packet{7, 0, {{-1, 7}}}));
}

TEST(binary_packet, decoder_accepts_a_ragged_header_for_equal_lengths) {
  const auto bytes = header(1, 0, 1, 2) + u32(1) + u32(1) + unhex("05 06");
  EXPECT_EQ(decoded(bytes), (packet{7, 0, {{5}, {6}}}));
}

TEST(binary_packet, packets_with_no_binary_form_encode_empty) {
  EXPECT_EQ(encode_binary({1, 0, {{1, 2.5}}}), "");    // ints and doubles: JSON keeps both kinds
  EXPECT_EQ(encode_binary({1, 0, {{1}, {2.5}}}), "");
  EXPECT_EQ(encode_binary({1, 0, std::vector<array_t>(max_packet_values + 1)}), "");
  EXPECT_EQ(decoded(encode_binary({1, 0, std::vector<array_t>(65536)})).arrays.size(), 65536u);
}

TEST(binary_packet, every_truncation_is_rejected) {
  for (const auto& p : {documented, documented_ragged, packet{3, 1, {{}, {4, 5}, {}, {6}}}}) {
    const auto bytes = encode_binary(p);
    for (std::size_t n = 0; n < bytes.size(); ++n)
      EXPECT_EQ(rejected(std::string_view(bytes).substr(0, n)).code, "bad_message") << n << " of " << hex(bytes);
  }
}

TEST(binary_packet, trailing_bytes_are_rejected) {
  EXPECT_EQ(rejected(encode_binary(documented) + '\0').code, "bad_message");
  EXPECT_EQ(rejected(encode_binary(documented_ragged) + '\0').code, "bad_message");
}

TEST(binary_packet, a_version_1_packet_is_rejected_naming_the_version) {
  // docs/PROTOCOL.md's version-1 example: count at 2 (u16), one length at 4 (u32).
  const auto v1 = unhex("01 01 02 00 03 00 00 00 2a 00 00 00 00 00 00 00 40 22 64 41 59 44 06 00 3a 27 26 01 02 03");
  const auto message = rejected(v1).message;
  EXPECT_NE(message.find("version 2 expected"), std::string::npos) << message;
  EXPECT_TRUE(message.ends_with("got 1")) << message;
}

TEST(binary_packet, unknown_version_is_rejected) {
  for (const char version : {'\x00', '\x01', '\x03', '\xff'}) {
    auto bytes = encode_binary(documented);
    bytes[0] = version;
    EXPECT_NE(rejected(bytes).message.find("version"), std::string::npos);
  }
}

TEST(binary_packet, bad_width_is_rejected) {
  for (const char width : {'\x00', '\x03', '\x05', '\x10'}) {
    auto bytes = encode_binary({1, 0, {{1}}});
    bytes[1] = width;
    EXPECT_NE(rejected(bytes).message.find("width"), std::string::npos);
  }
  for (const char width : {'\x01', '\x02', '\x04'}) {  // doubles are 8 bytes, whatever they hold
    auto bytes = header(8, 1, 1, 0);
    bytes[1] = width;
    EXPECT_NE(rejected(bytes).message.find("width"), std::string::npos);
  }
}

TEST(binary_packet, unknown_kind_or_shape_is_rejected) {
  auto bytes = encode_binary(documented);
  bytes[2] = 2;
  EXPECT_NE(rejected(bytes).message.find("kind"), std::string::npos);
  bytes = encode_binary(documented);
  bytes[3] = 2;
  EXPECT_NE(rejected(bytes).message.find("shape"), std::string::npos);
}

TEST(binary_packet, non_finite_doubles_are_rejected) {
  for (const auto bad : {f64::quiet_NaN(), f64::infinity(), -f64::infinity(), f64::signaling_NaN()}) {
    const auto bytes = encode_binary({43, 1, {{2.5}, {-0.5, bad}}});  // the encoder does not judge; decoders do
    ASSERT_EQ(bytes.size(), binary_header_size + 2 * 4 + 3 * 8);
    EXPECT_NE(rejected(bytes).message.find("finite"), std::string::npos) << bad;
  }
}

TEST(binary_packet, seq_zero_is_rejected) {
  EXPECT_EQ(rejected(encode_binary({0, 0, {{1}}})).code, "bad_message");
}

TEST(binary_packet, headers_promising_more_than_they_hold_are_rejected) {
  // A million arrays of 2^32-1 values in 28 bytes.
  EXPECT_EQ(rejected(header(8, 0, 0, 1'000'000) + u32(0xffffffff)).code, "bad_message");
  // A million arrays of one value each: the values are not there.
  EXPECT_EQ(rejected(header(1, 0, 0, 1'000'000) + u32(1) + "x").code, "bad_message");
  // A million ragged arrays whose lengths are not there.
  EXPECT_EQ(rejected(header(1, 0, 1, 1'000'000) + u32(0)).code, "bad_message");
  // A million empty arrays in 28 bytes: empty arrays are sent ragged, a length each.
  EXPECT_NE(rejected(header(1, 0, 0, 1'000'000) + u32(0)).message.find("empty arrays"), std::string::npos);
  // More arrays than a packet may hold, or more values.
  EXPECT_NE(rejected(header(1, 0, 1, max_packet_values + 1)).message.find("too many arrays"), std::string::npos);
  EXPECT_NE(rejected(header(1, 0, 1, 2) + u32(max_packet_values) + u32(1)).message.find("more values"),
            std::string::npos);
}

TEST(binary_packet, no_arrays_of_any_length_is_an_empty_packet) {
  // A uniform header with no arrays: its one length stands for nothing.
  EXPECT_EQ(decoded(header(1, 0, 0, 0) + u32(0x30600000)), (packet{7, 0, {}}));
  EXPECT_EQ(decoded(header(8, 1, 1, 0)), (packet{7, 0, {}}));
}

TEST(binary_packet, peek_reads_seq_and_ts_from_a_version_2_header_only) {
  const auto head = peek_binary(unhex(documented_hex).substr(0, binary_header_size));
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->seq, 42u);
  EXPECT_EQ(head->ts, 1764000000123456);
  auto v1 = unhex(documented_hex);
  v1[0] = 1;
  EXPECT_FALSE(peek_binary(v1).has_value());
  EXPECT_FALSE(peek_binary(unhex(documented_hex).substr(0, binary_header_size - 1)).has_value());
}

}  // namespace
}  // namespace arraycast
