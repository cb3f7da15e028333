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

// Bytes as "01 01 02 00 ...", so a failure shows where the layout differs.
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

std::uint8_t width_of(const packet& p) { return static_cast<std::uint8_t>(encode_binary(p).at(1)); }

// The example in docs/PROTOCOL.md, byte for byte.
const packet documented{42, 1764000000123456, {{58, 39, 38}, {1, 2, 3}}};
constexpr std::string_view documented_hex =
    "01 01 02 00 03 00 00 00 2a 00 00 00 00 00 00 00 40 22 64 41 59 44 06 00 3a 27 26 01 02 03";

TEST(binary_packet, documented_example_encodes_exactly) {
  EXPECT_EQ(hex(encode_binary(documented)), documented_hex);
}

TEST(binary_packet, documented_example_decodes) {
  EXPECT_EQ(decoded(unhex(documented_hex)), documented);
}

TEST(binary_packet, round_trips) {
  for (const packet& p : {documented, packet{1, 0, {}}, packet{2, -5, {{}, {}, {}}},
                          packet{i64::max() + 1ULL, i64::min(), {{i64::min(), 0, i64::max()}}},
                          packet{7, 1, {{-1}, {-2}, {-3}, {-4}}}})
    EXPECT_EQ(decoded(encode_binary(p)), p);
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
    EXPECT_EQ(bytes.size(), binary_header_size + 10 * std::size_t{width_of(p)});
    EXPECT_EQ(decoded(bytes), p) << bound;
  }
}

TEST(binary_packet, values_are_little_endian_twos_complement) {
  EXPECT_EQ(hex(encode_binary({1, 0, {{-2, 0x1234}}}).substr(binary_header_size)), "fe ff 34 12");
}

TEST(binary_packet, decoder_accepts_a_wider_width_than_needed) {
  auto bytes = unhex("01 08 01 00 02 00 00 00 05 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
                     "ff ff ff ff ff ff ff ff 07 00 00 00 00 00 00 00");
  EXPECT_EQ(decoded(bytes), (packet{5, 0, {{-1, 7}}}));
}

TEST(binary_packet, packets_with_no_binary_form_encode_empty) {
  EXPECT_EQ(encode_binary({1, 0, {{1, 2}, {3}}}), "");
  EXPECT_EQ(encode_binary({1, 0, std::vector<array_t>(65536)}), "");
  EXPECT_EQ(decoded(encode_binary({1, 0, std::vector<array_t>(65535)})).arrays.size(), 65535u);
}

TEST(binary_packet, every_truncation_is_rejected) {
  const auto bytes = encode_binary(documented);
  for (std::size_t n = 0; n < bytes.size(); ++n)
    EXPECT_EQ(rejected(std::string_view(bytes).substr(0, n)).code, "bad_message") << n;
}

TEST(binary_packet, trailing_bytes_are_rejected) {
  EXPECT_EQ(rejected(encode_binary(documented) + '\0').code, "bad_message");
}

TEST(binary_packet, unknown_version_is_rejected) {
  for (const char version : {'\x00', '\x02', '\xff'}) {
    auto bytes = encode_binary(documented);
    bytes[0] = version;
    EXPECT_NE(rejected(bytes).message.find("version"), std::string::npos);
  }
}

TEST(binary_packet, bad_width_is_rejected) {
  for (const char width : {'\x00', '\x03', '\x05', '\x10'}) {
    auto bytes = encode_binary({1, 0, {}});
    bytes[1] = width;
    EXPECT_NE(rejected(bytes).message.find("width"), std::string::npos);
  }
}

TEST(binary_packet, seq_zero_is_rejected) {
  EXPECT_EQ(rejected(encode_binary({0, 0, {{1}}})).code, "bad_message");
}

TEST(binary_packet, a_header_promising_more_than_it_holds_is_rejected) {
  // 65535 arrays of 2^32-1 values in 24 bytes: rejected by size, never allocated.
  EXPECT_EQ(rejected(unhex("01 08 ff ff ff ff ff ff 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00")).code,
            "bad_message");
}

TEST(binary_packet, no_arrays_of_any_length_is_an_empty_packet) {
  // Found by the fuzzer: the length of zero arrays was allocated once anyway.
  EXPECT_EQ(decoded(unhex("01 01 00 00 00 00 60 30 2a 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00")),
            (packet{42, 0, {}}));
}

}  // namespace
}  // namespace arraycast
