#include "core/send_queue.hpp"

#include <gtest/gtest.h>

namespace arraycast {
namespace {

frame_ptr packet_frame(std::uint64_t seq) { return make_frame(seq, 0, 1, "{}"); }

TEST(send_queue, only_live_packets_count_toward_the_limit) {
  send_queue q;
  q.push(make_control_frame("{\"type\":\"welcome\"}"), true);
  q.push(packet_frame(1), true);  // replay
  q.push(packet_frame(2), true);
  q.push(packet_frame(3), false);  // live
  EXPECT_EQ(q.size(), 4u);
  EXPECT_EQ(q.live(), 1u);
}

// A gap written alone, ahead of its replay, must not use up the replay's
// exemption: that made a resuming client look slow one frame early.
TEST(send_queue, a_written_control_frame_does_not_consume_the_replays_exemption) {
  send_queue q;
  q.push(make_control_frame("{\"type\":\"gap\"}"), true);
  EXPECT_EQ(q.start_batch().size(), 1u);
  for (std::uint64_t seq = 1; seq <= 3; ++seq) q.push(packet_frame(seq), true);
  q.finish_batch();
  EXPECT_EQ(q.live(), 0u);
  q.push(packet_frame(4), false);
  EXPECT_EQ(q.start_batch().size(), 4u);
  EXPECT_EQ(q.live(), 1u);
  q.push(packet_frame(5), false);
  EXPECT_EQ(q.live(), 2u);
  q.finish_batch();
  EXPECT_EQ(q.live(), 1u);
  EXPECT_TRUE(q.has_waiting());
  EXPECT_FALSE(q.writing());
}

TEST(send_queue, a_batch_takes_everything_waiting_in_order) {
  send_queue q;
  for (std::uint64_t seq = 1; seq <= 3; ++seq) q.push(packet_frame(seq), false);
  const auto& batch = q.start_batch();
  ASSERT_EQ(batch.size(), 3u);
  EXPECT_EQ(batch[0]->seq, 1u);
  EXPECT_EQ(batch[2]->seq, 3u);
  EXPECT_FALSE(q.has_waiting());
  EXPECT_TRUE(q.writing());
  q.finish_batch();
  EXPECT_EQ(q.size(), 0u);
}

// A resume's archived part arrives after its replay and live frames were
// queued: it goes out before them, and counts as owed, not live.
TEST(send_queue, archived_frames_go_in_at_the_position_taken_before) {
  send_queue q;
  q.push(make_control_frame("{\"type\":\"welcome\"}"), true);
  const auto at = q.position();
  q.push(packet_frame(5), true);   // replay
  q.push(packet_frame(6), false);  // live
  q.insert(at, {packet_frame(3), packet_frame(4)});
  EXPECT_EQ(q.live(), 1u);
  std::vector<std::uint64_t> seqs;
  for (const auto& f : q.start_batch()) seqs.push_back(f->seq);
  EXPECT_EQ(seqs, (std::vector<std::uint64_t>{0, 3, 4, 5, 6}));
}

}  // namespace
}  // namespace arraycast
