#include "backplane/stream_frames.hpp"

#include <gtest/gtest.h>

#include "core/protocol.hpp"

namespace arraycast {
namespace {

std::string packet_at(std::uint64_t seq) {
  return protocol::encode(packet{seq, 1'700'000'000'000'000, {{value(1), value(2)}, {value(2.5)}}});
}

TEST(stream_frames, a_packet_of_its_own_seq_becomes_its_frame_in_both_encodings) {
  const auto got = frame_of(7, packet_at(7));
  ASSERT_FALSE(got.rejected);
  EXPECT_EQ(got.f->seq, 7u);
  EXPECT_FALSE(got.f->is_gap());
  EXPECT_EQ(got.f->arrays, 2u);
  EXPECT_EQ(got.f->text.payload(), packet_at(7));
  EXPECT_TRUE(got.f->binary.empty());  // mixed ints and doubles: JSON only
}

TEST(stream_frames, a_one_seq_gap_from_the_producer_is_sent_on_as_it_is) {
  const auto payload = protocol::encode(protocol::gap{9, 9, "the source lost 3 packets: udp"});
  const auto got = frame_of(9, payload);
  ASSERT_FALSE(got.rejected);
  EXPECT_TRUE(got.f->is_gap());
  EXPECT_EQ(got.f->first_seq(), 9u);
  EXPECT_EQ(got.f->text.payload(), payload);
}

// A stranger's message on the subject, or a packet stored at another seq
// than it names, is not sent on; the seq it took becomes a gap.
TEST(stream_frames, what_is_not_a_packet_of_that_seq_becomes_a_gap_for_it) {
  for (const auto& payload : {std::string("not json"), std::string("{\"type\":\"welcome\",\"epoch\":1}"),
                              packet_at(8), protocol::encode(protocol::gap{3, 9, "x"})}) {
    const auto got = frame_of(9, payload);
    EXPECT_TRUE(got.rejected) << payload;
    EXPECT_TRUE(got.f->is_gap());
    EXPECT_EQ(got.f->first_seq(), 9u);
    EXPECT_EQ(got.f->seq, 9u);
    auto m = protocol::decode_server(got.f->text.payload());
    ASSERT_TRUE(std::holds_alternative<protocol::gap>(m));
    EXPECT_EQ(std::get<protocol::gap>(m).reason, "not a packet");
  }
}

TEST(stream_frames, stream_info_round_trips_through_its_header) {
  const protocol::stream_info random{"random", 2'000'000, protocol::random_shape{5, 10, 0, 100}};
  EXPECT_EQ(protocol::decode_stream_info(protocol::encode(random)), random);
  const protocol::stream_info udp{"udp", 0, {}};
  EXPECT_EQ(protocol::decode_stream_info(protocol::encode(udp)), udp);
  EXPECT_FALSE(protocol::decode_stream_info("{\"type\":\"packet\"}"));
  EXPECT_FALSE(protocol::decode_stream_info("]"));
}

}  // namespace
}  // namespace arraycast
