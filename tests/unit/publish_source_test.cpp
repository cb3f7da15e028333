#include "source/publish_source.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace arraycast {
namespace {

// The stream, reduced to what it is told: publishing assigns the next seq
// at once, as the stream's strand would later.
struct fake_stream final : packet_sink {
  std::vector<source_packet> pushed;
  std::vector<std::pair<std::uint64_t, std::string>> losses;
  std::vector<reject_reason> rejections;
  std::uint64_t seq = 0;

  void push(source_packet p) override { pushed.push_back(std::move(p)); }
  void lost(std::uint64_t count, std::string reason) override {
    seq += count;
    losses.emplace_back(count, std::move(reason));
  }
  void rejected(reject_reason reason, std::string_view) override { rejections.push_back(reason); }
  void ended() override {}
  void when_ready(std::function<void()> next) override { next(); }

  void publish_all() {
    for (auto& p : pushed) p.on_published(++seq);
    pushed.clear();
  }
};

struct ack {
  std::string producer;
  std::uint64_t pseq;
  std::uint64_t seq;
  friend bool operator==(const ack&, const ack&) = default;
};

protocol::publish packet(std::uint64_t pseq, std::string producer = "p") {
  return {std::move(producer), pseq, {{static_cast<std::int64_t>(pseq)}}, std::nullopt};
}

class publish_source_test : public ::testing::Test {
protected:
  publish_source::claim connect() {
    auto c = source.try_claim();
    EXPECT_TRUE(c.has_value());
    c->on_ack([this](std::string_view producer, std::uint64_t pseq, std::uint64_t seq) {
      acks.push_back({std::string(producer), pseq, seq});
    });
    return std::move(*c);
  }

  fake_stream stream;
  publish_source source;
  std::vector<ack> acks;
  void SetUp() override { source.start(stream); }
};

TEST_F(publish_source_test, one_connection_at_a_time) {
  {
    auto first = connect();
    EXPECT_FALSE(source.try_claim().has_value());
  }
  EXPECT_TRUE(source.try_claim().has_value());
}

TEST_F(publish_source_test, packets_are_acked_once_published_with_their_seq) {
  auto c = connect();
  EXPECT_FALSE(c.submit(packet(1)));
  EXPECT_FALSE(c.submit(packet(2)));
  EXPECT_TRUE(acks.empty());  // not in history yet
  stream.publish_all();
  EXPECT_EQ(acks, (std::vector<ack>{{"p", 1, 1}, {"p", 2, 2}}));
}

TEST_F(publish_source_test, a_resend_after_a_reconnect_is_acked_again_and_not_pushed) {
  {
    auto c = connect();
    c.submit(packet(1));
    c.submit(packet(2));
    stream.publish_all();
  }
  acks.clear();
  auto c = connect();
  EXPECT_FALSE(c.submit(packet(2)));
  EXPECT_TRUE(stream.pushed.empty());
  EXPECT_EQ(acks, (std::vector<ack>{{"p", 2, 2}}));
}

// The connection that sent it is gone before it is published: the ack goes
// to whoever holds the source then.
TEST_F(publish_source_test, a_resend_of_a_packet_still_on_its_way_is_acked_when_it_arrives) {
  {
    auto c = connect();
    c.submit(packet(1));
  }
  auto c = connect();
  c.submit(packet(1));
  EXPECT_TRUE(acks.empty());
  stream.publish_all();
  EXPECT_EQ(acks, (std::vector<ack>{{"p", 1, 1}}));
}

TEST_F(publish_source_test, a_pseq_jump_is_reported_lost_before_the_packet) {
  auto c = connect();
  c.submit(packet(1));
  c.submit(packet(4));
  ASSERT_EQ(stream.losses.size(), 1u);
  EXPECT_EQ(stream.losses[0].first, 2u);
  EXPECT_NE(stream.losses[0].second.find("pseq 2 to 3"), std::string::npos) << stream.losses[0].second;
  EXPECT_EQ(stream.pushed.size(), 2u);
}

TEST_F(publish_source_test, nothing_is_pushed_after_stop) {
  auto c = connect();
  source.stop();
  const auto e = c.submit(packet(1));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, "unavailable");
  EXPECT_TRUE(stream.pushed.empty());
}

TEST_F(publish_source_test, rejections_reach_the_stream) {
  auto c = connect();
  c.rejected(reject_reason::bad_value, "x");
  EXPECT_EQ(stream.rejections, (std::vector<reject_reason>{reject_reason::bad_value}));
}

}  // namespace
}  // namespace arraycast
