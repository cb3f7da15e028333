#include "recorder/recorder.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace arraycast {
namespace {

using lines = std::vector<std::string>;

// Keeps what the recorder writes as one readable line per call.
class fake_sink final : public sink {
public:
  explicit fake_sink(std::optional<resume_point> resume = std::nullopt) : resume_(resume) {}

  void write_packet(const packet& p, std::uint64_t epoch, std::int64_t recv_ts) override {
    written.push_back(fmt::format("packet {} epoch {} at {} arrays {}", p.seq, epoch, recv_ts, p.arrays.size()));
  }
  void write_event(const record_event& e) override {
    switch (e.what) {
      case record_event::kind::connected:
        written.push_back(fmt::format("connected {} at {}", e.detail, e.time));
        return;
      case record_event::kind::disconnected:
        written.push_back(fmt::format("disconnected {} at {}", e.detail, e.time));
        return;
      case record_event::kind::gap:
        written.push_back(fmt::format("gap {}..{} {}", e.from, e.to ? std::to_string(*e.to) : "null", e.detail));
        return;
    }
  }
  std::optional<resume_point> resume() const override { return resume_; }

  lines written;

private:
  std::optional<resume_point> resume_;
};

protocol::welcome welcome(std::uint64_t epoch) { return {epoch, 0, 100, {}}; }
packet pkt(std::uint64_t seq) { return {seq, static_cast<std::int64_t>(seq) * 10, {{1, 2}, {3, 4}}}; }

// Feeds a packet and returns what the recorder acknowledges.
std::optional<std::uint64_t> feed(recorder& r, std::uint64_t seq, std::int64_t now = 0) {
  return r.on_message(pkt(seq), now);
}

TEST(recorder, fresh_start_records_from_the_first_packet_without_a_gap) {
  fake_sink out;
  recorder r(out);
  EXPECT_EQ(r.hello("client1"), (protocol::hello{"client1", std::nullopt, std::nullopt}));
  EXPECT_EQ(r.on_message(welcome(7), 1), std::nullopt);
  EXPECT_EQ(feed(r, 42, 500), 42u);
  EXPECT_EQ(feed(r, 43, 600), 43u);
  EXPECT_EQ(out.written, (lines{"packet 42 epoch 7 at 500 arrays 2", "packet 43 epoch 7 at 600 arrays 2"}));
  EXPECT_EQ(r.packets_written(), 2u);
  EXPECT_EQ(r.last_seq(), 43u);
  EXPECT_EQ(r.hello("client1"), (protocol::hello{"client1", 7, 43}));
}

TEST(recorder, replayed_packets_are_acknowledged_but_not_written_again) {
  fake_sink out;
  recorder r(out);
  r.on_message(welcome(1), 0);
  feed(r, 1);
  feed(r, 2);
  feed(r, 3);
  EXPECT_EQ(feed(r, 2), 2u);
  EXPECT_EQ(feed(r, 3), 3u);
  EXPECT_EQ(feed(r, 1), 1u);
  EXPECT_EQ(feed(r, 4), 4u);
  EXPECT_EQ(out.written.size(), 4u);
  EXPECT_EQ(out.written.back(), "packet 4 epoch 1 at 0 arrays 2");
  EXPECT_EQ(r.packets_written(), 4u);
}

TEST(recorder, an_unannounced_hole_is_written_as_a_missing_gap) {
  fake_sink out;
  recorder r(out);
  r.on_message(welcome(1), 0);
  feed(r, 1);
  feed(r, 2);
  EXPECT_EQ(feed(r, 6), 6u);
  EXPECT_EQ(feed(r, 8), 8u);
  EXPECT_EQ(out.written, (lines{"packet 1 epoch 1 at 0 arrays 2", "packet 2 epoch 1 at 0 arrays 2", "gap 3..5 missing",
                                "packet 6 epoch 1 at 0 arrays 2", "gap 7..7 missing",
                                "packet 8 epoch 1 at 0 arrays 2"}));
}

TEST(recorder, a_server_gap_is_written_once_and_the_next_packet_follows_it) {
  fake_sink out;
  recorder r(out);
  r.on_message(welcome(1), 0);
  feed(r, 1);
  feed(r, 2);
  EXPECT_EQ(r.on_message(protocol::gap{3, 6, "history"}, 0), std::nullopt);
  feed(r, 7);
  EXPECT_EQ(out.written, (lines{"packet 1 epoch 1 at 0 arrays 2", "packet 2 epoch 1 at 0 arrays 2", "gap 3..6 history",
                                "packet 7 epoch 1 at 0 arrays 2"}));
  EXPECT_EQ(r.last_seq(), 7u);
}

TEST(recorder, a_server_gap_over_recorded_packets_is_trimmed_or_dropped) {
  fake_sink out;
  recorder r(out);
  r.on_message(welcome(1), 0);
  for (std::uint64_t seq = 1; seq <= 4; ++seq) feed(r, seq);
  r.on_message(protocol::gap{1, 4, "history"}, 0);  // all recorded already
  r.on_message(protocol::gap{3, 6, "history"}, 0);  // 3 and 4 recorded: only 5..6 are missing
  feed(r, 7);
  EXPECT_EQ(out.written, (lines{"packet 1 epoch 1 at 0 arrays 2", "packet 2 epoch 1 at 0 arrays 2",
                                "packet 3 epoch 1 at 0 arrays 2", "packet 4 epoch 1 at 0 arrays 2", "gap 5..6 history",
                                "packet 7 epoch 1 at 0 arrays 2"}));
}

TEST(recorder, a_new_epoch_in_the_welcome_ends_the_old_one_with_an_open_gap) {
  fake_sink out;
  recorder r(out);
  r.on_message(welcome(1), 0);
  feed(r, 1);
  feed(r, 2);
  r.on_disconnected("eof", 100);
  r.on_connected("ws://h/", 200);
  r.on_message(welcome(2), 200);
  EXPECT_EQ(feed(r, 1), 1u);  // seq restarted: not a replay
  feed(r, 2);
  EXPECT_EQ(out.written, (lines{"packet 1 epoch 1 at 0 arrays 2", "packet 2 epoch 1 at 0 arrays 2",
                                "disconnected eof at 100", "connected ws://h/ at 200", "gap 3..null new epoch",
                                "packet 1 epoch 2 at 0 arrays 2", "packet 2 epoch 2 at 0 arrays 2"}));
  EXPECT_EQ(r.hello("c"), (protocol::hello{"c", 2, 2}));
}

TEST(recorder, an_announced_new_epoch_is_written_once_then_its_history_gap_and_packets) {
  fake_sink out;
  recorder r(out);
  r.on_message(welcome(1), 0);
  feed(r, 1);
  feed(r, 2);
  r.on_message(welcome(2), 0);
  r.on_message(protocol::gap{3, std::nullopt, "new epoch"}, 0);
  r.on_message(protocol::gap{1, 4, "history"}, 0);  // the new epoch's start is gone too
  feed(r, 5);
  feed(r, 6);
  EXPECT_EQ(out.written, (lines{"packet 1 epoch 1 at 0 arrays 2", "packet 2 epoch 1 at 0 arrays 2",
                                "gap 3..null new epoch", "gap 1..4 history", "packet 5 epoch 2 at 0 arrays 2",
                                "packet 6 epoch 2 at 0 arrays 2"}));
}

TEST(recorder, resumes_from_the_point_the_sink_reports) {
  fake_sink out(resume_point{3, 10});
  recorder r(out);
  EXPECT_EQ(r.last_seq(), 10u);
  EXPECT_EQ(r.hello("client1"), (protocol::hello{"client1", 3, 10}));
  r.on_message(welcome(3), 0);
  EXPECT_EQ(feed(r, 10), 10u);  // replayed, already in the file
  EXPECT_EQ(feed(r, 11), 11u);
  EXPECT_EQ(out.written, (lines{"packet 11 epoch 3 at 0 arrays 2"}));
}

TEST(recorder, resumed_file_meeting_a_new_epoch_gets_an_open_gap_first) {
  fake_sink out(resume_point{3, 10});
  recorder r(out);
  r.on_message(welcome(4), 0);
  feed(r, 1);
  EXPECT_EQ(out.written, (lines{"gap 11..null new epoch", "packet 1 epoch 4 at 0 arrays 2"}));
}

TEST(recorder, connection_events_are_written_with_their_time) {
  fake_sink out;
  recorder r(out);
  r.on_connected("ws://127.0.0.1:6969/", 1764000000123456);
  r.on_disconnected("connection reset", 1764000000999999);
  EXPECT_EQ(out.written, (lines{"connected ws://127.0.0.1:6969/ at 1764000000123456",
                                "disconnected connection reset at 1764000000999999"}));
}

TEST(recorder, messages_other_than_packets_are_not_acknowledged) {
  fake_sink out;
  recorder r(out);
  EXPECT_EQ(r.on_message(welcome(1), 0), std::nullopt);
  EXPECT_EQ(r.on_message(protocol::error{"bad_json", "x"}, 0), std::nullopt);
  EXPECT_EQ(r.on_message(protocol::decode_error{"bad_json", "x"}, 0), std::nullopt);
  EXPECT_TRUE(out.written.empty());
}

}  // namespace
}  // namespace arraycast
