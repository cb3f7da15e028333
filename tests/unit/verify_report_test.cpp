#include "verify/verify_report.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "verify/seq_set.hpp"

namespace arraycast {
namespace {

// A recording built item by item; each item gets the next line number.
struct recording {
  std::vector<recording_item> items;

  recording& packet(std::uint64_t epoch, std::uint64_t seq, std::vector<array_t> arrays = {{1}}) {
    items.push_back(recorded_packet{next_line(), epoch, seq, 0, 0, std::move(arrays)});
    return *this;
  }
  recording& gap(std::uint64_t from, std::optional<std::uint64_t> to, std::string reason = "history") {
    items.push_back(recorded_event{next_line(), {record_event::kind::gap, 0, std::move(reason), from, to}});
    return *this;
  }
  recording& connected() {
    items.push_back(recorded_event{next_line(), {record_event::kind::connected, 0, "ws://x/", 0, std::nullopt}});
    return *this;
  }
  recording& unreadable(std::string why) {
    items.push_back(unreadable_line{next_line(), std::move(why)});
    return *this;
  }
  std::uint64_t next_line() const { return items.size() + 1; }

  recording_summary check() const {
    recording_check c;
    for (const auto& i : items) c.add(i);
    return c.finish();
  }
};

std::vector<seq_range> holes_of(const recording_summary& s) {
  std::vector<seq_range> out;
  for (const auto& h : s.holes.first) out.push_back({h.from, h.to.value_or(0)});
  return out;
}

TEST(recording_check, an_unbroken_recording_is_ok_and_summed_up_per_epoch) {
  const auto s = recording().connected().packet(7, 5).packet(7, 6).packet(7, 7).check();
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.packets, 3u);
  EXPECT_EQ(s.events, 1u);
  ASSERT_EQ(s.epochs.size(), 1u);
  EXPECT_EQ(s.epochs[0].epoch, 7u);
  EXPECT_EQ(s.epochs[0].first_seq, 5u);  // a recorder may join late: the start is not a hole
  EXPECT_EQ(s.epochs[0].last_seq, 7u);
}

TEST(recording_check, a_seq_jump_with_no_gap_event_is_a_silent_hole) {
  const auto s = recording().packet(7, 1).packet(7, 2).packet(7, 5).packet(7, 9).check();
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(holes_of(s), (std::vector<seq_range>{{3, 4}, {6, 8}}));
  EXPECT_EQ(s.holes.first[0].epoch, 7u);
}

TEST(recording_check, a_gap_event_accounts_for_the_seqs_it_announces) {
  const auto s = recording().packet(7, 1).gap(2, 4).packet(7, 5).gap(6, 7, "missing").packet(7, 9).check();
  EXPECT_EQ(holes_of(s), (std::vector<seq_range>{{8, 8}}));  // the second gap fell one short
  EXPECT_EQ(s.gaps.count, 2u);
  EXPECT_EQ(s.announced_lost, 5u);
  EXPECT_EQ(s.gaps.first[1].reason, "missing");
  EXPECT_EQ(s.gaps.first[1].epoch, std::optional<std::uint64_t>(7));
}

TEST(recording_check, a_gap_before_the_first_packet_belongs_to_its_epoch) {
  const auto s = recording().connected().gap(1, 9).packet(7, 10).packet(7, 11).check();
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.gaps.first[0].epoch, std::optional<std::uint64_t>(7));
}

TEST(recording_check, a_duplicate_is_named_with_its_line) {
  const auto s = recording().packet(7, 1).packet(7, 2).packet(7, 2).packet(7, 3).check();
  EXPECT_FALSE(s.ok());
  ASSERT_EQ(s.duplicates.count, 1u);
  EXPECT_EQ(s.duplicates.first[0].line, 3u);
  EXPECT_EQ(s.duplicates.first[0].seq, 2u);
  EXPECT_EQ(s.reordered.count, 0u);
  EXPECT_EQ(s.holes.count, 0u);
}

TEST(recording_check, a_late_packet_is_reordered_not_a_hole) {
  const auto s = recording().packet(7, 1).packet(7, 3).packet(7, 2).packet(7, 4).check();
  EXPECT_FALSE(s.ok());
  ASSERT_EQ(s.reordered.count, 1u);
  EXPECT_EQ(s.reordered.first[0].seq, 2u);
  EXPECT_EQ(s.reordered.first[0].after, 3u);
  EXPECT_EQ(s.holes.count, 0u);
  EXPECT_EQ(s.duplicates.count, 0u);
}

TEST(recording_check, a_new_epoch_is_accounted_from_seq_1) {
  auto ok = recording().packet(7, 4).gap(5, std::nullopt, "new epoch").gap(1, 2, "missing").packet(8, 3).check();
  EXPECT_TRUE(ok.ok()) << ok.holes.count;
  EXPECT_EQ(ok.epochs.size(), 2u);
  EXPECT_EQ(ok.gaps.first[0].epoch, std::optional<std::uint64_t>(7));  // whose rest is lost
  EXPECT_EQ(ok.gaps.first[1].epoch, std::optional<std::uint64_t>(8));

  const auto holed = recording().packet(7, 4).gap(5, std::nullopt).packet(8, 3).check();
  EXPECT_EQ(holes_of(holed), (std::vector<seq_range>{{1, 2}}));
  EXPECT_EQ(holed.holes.first[0].epoch, 8u);
}

TEST(recording_check, an_epoch_change_with_no_gap_event_leaves_the_old_epochs_rest_unaccounted) {
  const auto s = recording().packet(7, 4).packet(8, 1).check();
  ASSERT_EQ(s.holes.count, 1u);
  EXPECT_EQ(s.holes.first[0].epoch, 7u);
  EXPECT_EQ(s.holes.first[0].from, 5u);
  EXPECT_FALSE(s.holes.first[0].to.has_value());
}

TEST(recording_check, unreadable_lines_fail_the_check) {
  const auto s = recording().packet(7, 1).unreadable("torn").check();
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.unreadable.first[0].line, 2u);
}

TEST(recording_check, findings_keep_the_first_few_and_count_all) {
  recording r;
  for (std::uint64_t i = 0; i < 50; ++i) r.packet(7, 1);
  const auto s = r.check();
  EXPECT_EQ(s.duplicates.count, 49u);
  EXPECT_EQ(s.duplicates.first.size(), findings<misplaced_packet>::limit);
}

TEST(seq_set, merges_ranges_and_lists_what_is_missing) {
  seq_set s;
  s.insert({5, 6});
  s.insert({1, 1});
  s.insert({7, 9});
  s.insert({3, 3});
  EXPECT_TRUE(s.contains(8));
  EXPECT_FALSE(s.contains(2));
  EXPECT_FALSE(s.contains(10));
  EXPECT_EQ(s.missing({1, 12}), (std::vector<seq_range>{{2, 2}, {4, 4}, {10, 12}}));
  EXPECT_EQ(s.missing({5, 9}), std::vector<seq_range>{});
  s.insert({2, 4});
  EXPECT_EQ(s.missing({1, 9}), std::vector<seq_range>{});
}

TEST(packet_match, equal_sequences_match_and_a_kind_differs) {
  packet_match m;
  m.add(located_arrays{"a1", {{1, 2}}}, located_arrays{"b1", {{1, 2}}});
  m.add(located_arrays{"a2", {{1, 2}}}, located_arrays{"b2", {{1, 2.0}}});
  const auto s = m.finish();
  EXPECT_EQ(s.compared, 2u);
  ASSERT_EQ(s.mismatches.count, 1u);
  EXPECT_EQ(s.mismatches.first[0].index, 2u);
  EXPECT_EQ(s.mismatches.first[0].detail, "array 0 value 1 is 2, not 2.0");
  EXPECT_FALSE(s.ok());
}

TEST(packet_match, a_shorter_side_is_a_difference) {
  packet_match m;
  m.add(located_arrays{"a1", {{1}}}, located_arrays{"b1", {{1}}});
  m.add(std::nullopt, located_arrays{"b2", {{2}}});
  const auto s = m.finish();
  EXPECT_EQ(s.only_theirs, 1u);
  EXPECT_EQ(s.first_only, "b2");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(first_difference({{1}, {2}}, {{1}}), "2 arrays, not 1");
  EXPECT_EQ(first_difference({{1, 2}}, {{1}}), "array 0 has 2 values, not 1");
}

// Feeds run_verify from vectors, as the command does from files.
verify_report run(const recording& ours, std::vector<against_item> theirs) {
  std::size_t i = 0, j = 0;
  return run_verify(
      "ours.jsonl", [&]() -> std::optional<recording_item> { return i < ours.items.size() ? std::optional(ours.items[i++]) : std::nullopt; },
      "theirs.txt", [&]() -> std::optional<against_item> { return j < theirs.size() ? std::optional(theirs[j++]) : std::nullopt; });
}

TEST(run_verify, compares_packets_in_order_past_gaps_and_epochs) {
  const auto ours = recording().packet(7, 1, {{1}}).gap(2, 3).packet(7, 4, {{2}}).gap(5, std::nullopt).packet(9, 1, {{3.5}});
  const auto good = run(ours, {located_arrays{"line 1", {{1}}}, located_arrays{"line 2", {{2}}}, located_arrays{"line 3", {{3.5}}}});
  EXPECT_TRUE(good.ok()) << to_text(good);
  EXPECT_EQ(good.match->compared, 3u);

  const auto bad = run(ours, {located_arrays{"line 1", {{1}}}, unreadable_line{2, "not numbers"}, located_arrays{"line 3", {{9}}}});
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.match->unreadable_theirs, 1u);
  EXPECT_EQ(bad.match->mismatches.count, 1u);
  EXPECT_EQ(bad.match->only_ours, 1u);
}

TEST(run_verify, text_and_json_name_what_is_wrong) {
  const auto r = run(recording().packet(7, 1).packet(7, 3).packet(7, 3), {});
  const auto text = to_text(r);
  EXPECT_NE(text.find("silent holes: 1\n  epoch 7 seq 2 to 2"), std::string::npos) << text;
  EXPECT_NE(text.find("duplicates: 1\n  line 3: epoch 7 seq 3"), std::string::npos) << text;
  EXPECT_NE(text.find("FAILED"), std::string::npos) << text;
  const auto j = to_json(r);
  EXPECT_FALSE(j.at("ok").as_bool());
  const auto& holes = j.at("holes").as_object();
  EXPECT_EQ(holes.at("count").to_number<int>(), 1);
  EXPECT_EQ(holes.at("first").as_array().at(0).as_object().at("from").to_number<int>(), 2);
  EXPECT_EQ(j.at("duplicates").as_object().at("first").as_array().at(0).as_object().at("line").to_number<int>(), 3);
  EXPECT_EQ(j.at("against").as_object().at("only_ours").to_number<int>(), 3);
}

}  // namespace
}  // namespace arraycast
