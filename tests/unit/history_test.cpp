#include "core/history.hpp"

#include <cstdint>
#include <memory>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace arraycast {
namespace {

frame_ptr make_frame(std::uint64_t seq) {
  return arraycast::make_frame(seq, static_cast<std::int64_t>(seq) * 1000, 5, fmt::format("frame {}", seq));
}

// A history that has been fed seq 1..head.
history filled(std::size_t capacity, std::uint64_t head) {
  history h(capacity);
  for (std::uint64_t seq = 1; seq <= head; ++seq) h.push(make_frame(seq));
  return h;
}

std::vector<std::uint64_t> seqs(const std::vector<frame_ptr>& frames) {
  std::vector<std::uint64_t> out;
  for (const auto& f : frames) out.push_back(f->seq);
  return out;
}

TEST(history, starts_empty) {
  const history h(10);
  EXPECT_EQ(h.head(), 0u);
  EXPECT_EQ(h.size(), 0u);
  EXPECT_EQ(h.capacity(), 10u);
  const auto plan = h.resume_from(0);
  EXPECT_TRUE(plan.gaps.empty());
  EXPECT_TRUE(plan.replay.empty());
}

TEST(history, push_advances_head_and_replays_the_same_frames) {
  history h(10);
  const auto f1 = make_frame(1);
  const auto f2 = make_frame(2);
  h.push(f1);
  h.push(f2);
  EXPECT_EQ(h.head(), 2u);
  EXPECT_EQ(h.size(), 2u);
  const auto plan = h.resume_from(0);
  ASSERT_EQ(plan.replay.size(), 2u);
  EXPECT_EQ(plan.replay[0], f1);  // the shared frame itself, not a copy
  EXPECT_EQ(plan.replay[1], f2);
}

TEST(history, keeps_only_the_last_capacity_frames) {
  const auto h = filled(3, 10);
  EXPECT_EQ(h.head(), 10u);
  EXPECT_EQ(h.size(), 3u);
  EXPECT_EQ(seqs(h.resume_from(0).replay), (std::vector<std::uint64_t>{8, 9, 10}));
}

TEST(history, resume_with_nothing_missed_is_empty) {
  const auto h = filled(5, 10);
  const auto plan = h.resume_from(10);
  EXPECT_TRUE(plan.gaps.empty());
  EXPECT_TRUE(plan.replay.empty());
}

TEST(history, resume_beyond_head_is_empty) {
  const auto h = filled(5, 10);
  for (const std::uint64_t last : {std::uint64_t{11}, std::uint64_t{1000}, UINT64_MAX}) {
    const auto plan = h.resume_from(last);
    EXPECT_TRUE(plan.gaps.empty()) << last;
    EXPECT_TRUE(plan.replay.empty()) << last;
  }
}

TEST(history, resume_within_history_replays_exactly_the_missing_frames) {
  const auto h = filled(5, 10);  // holds 6..10
  auto plan = h.resume_from(7);
  EXPECT_TRUE(plan.gaps.empty());
  EXPECT_EQ(seqs(plan.replay), (std::vector<std::uint64_t>{8, 9, 10}));
  plan = h.resume_from(5);  // just at the edge: 6 is the oldest held
  EXPECT_TRUE(plan.gaps.empty());
  EXPECT_EQ(seqs(plan.replay), (std::vector<std::uint64_t>{6, 7, 8, 9, 10}));
  plan = h.resume_from(9);
  EXPECT_EQ(seqs(plan.replay), (std::vector<std::uint64_t>{10}));
}

TEST(history, resume_from_zero_replays_everything_when_nothing_was_trimmed) {
  const auto h = filled(5, 3);
  const auto plan = h.resume_from(0);
  EXPECT_TRUE(plan.gaps.empty());
  EXPECT_EQ(seqs(plan.replay), (std::vector<std::uint64_t>{1, 2, 3}));
}

TEST(history, resume_past_the_trimmed_part_announces_a_gap_then_replays_the_rest) {
  const auto h = filled(5, 10);  // holds 6..10; 1..5 are gone
  const auto plan = h.resume_from(2);
  ASSERT_EQ(plan.gaps.size(), 1u);
  EXPECT_EQ(plan.gaps[0], (protocol::gap{3, 5, "history"}));  // inclusive: 3, 4, 5
  EXPECT_EQ(seqs(plan.replay), (std::vector<std::uint64_t>{6, 7, 8, 9, 10}));
}

TEST(history, gap_of_a_single_packet) {
  const auto h = filled(5, 10);
  const auto plan = h.resume_from(4);
  ASSERT_EQ(plan.gaps.size(), 1u);
  EXPECT_EQ(plan.gaps[0], (protocol::gap{5, 5, "history"}));
  EXPECT_EQ(seqs(plan.replay).front(), 6u);
}

TEST(history, capacity_zero_keeps_nothing_and_announces_everything_missed) {
  auto h = filled(0, 4);
  EXPECT_EQ(h.head(), 4u);
  EXPECT_EQ(h.size(), 0u);
  auto plan = h.resume_from(1);
  ASSERT_EQ(plan.gaps.size(), 1u);
  EXPECT_EQ(plan.gaps[0], (protocol::gap{2, 4, "history"}));
  EXPECT_TRUE(plan.replay.empty());
  plan = h.resume_from(4);
  EXPECT_TRUE(plan.gaps.empty());
  EXPECT_TRUE(plan.replay.empty());
}

// A source that lost packets: seqs 4..6 are a gap frame between 3 and 7.
history with_a_gap(std::size_t capacity) {
  history h(capacity);
  for (std::uint64_t seq = 1; seq <= 3; ++seq) h.push(make_frame(seq));
  h.push(make_gap_frame(4, 6, "gap 4..6"));
  for (std::uint64_t seq = 7; seq <= 8; ++seq) h.push(make_frame(seq));
  return h;
}

TEST(history, a_gap_frame_stands_for_its_seqs_in_a_replay) {
  const auto h = with_a_gap(10);
  EXPECT_EQ(h.head(), 8u);
  EXPECT_EQ(seqs(h.resume_from(2).replay), (std::vector<std::uint64_t>{3, 6, 7, 8}));
  EXPECT_EQ(seqs(h.resume_from(3).replay), (std::vector<std::uint64_t>{6, 7, 8}));
  EXPECT_EQ(seqs(h.resume_from(5).replay), (std::vector<std::uint64_t>{6, 7, 8}));  // inside the gap: told again
  EXPECT_EQ(seqs(h.resume_from(6).replay), (std::vector<std::uint64_t>{7, 8}));
  EXPECT_TRUE(h.resume_from(2).gaps.empty());
}

TEST(history, an_evicted_range_ends_where_the_oldest_gap_frame_begins) {
  const auto h = with_a_gap(3);  // holds the gap frame (4..6), 7, 8
  const auto plan = h.resume_from(1);
  ASSERT_EQ(plan.gaps.size(), 1u);
  EXPECT_EQ(plan.gaps[0], (protocol::gap{2, 3, "history"}));
  EXPECT_EQ(seqs(plan.replay), (std::vector<std::uint64_t>{6, 7, 8}));
  EXPECT_TRUE(plan.replay[0]->is_gap());
}

}  // namespace
}  // namespace arraycast
