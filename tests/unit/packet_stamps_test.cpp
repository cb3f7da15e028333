#include "core/packet_stamps.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace arraycast {
namespace {

packet_stamps::stamp stamp_of(std::uint64_t seq) {
  return {static_cast<std::int64_t>(seq) * 7, static_cast<std::size_t>(seq % 13)};
}

TEST(PacketStamps, FindsTheStampOfARecentPacket) {
  packet_stamps stamps;
  stamps.push(1, {1000, 5});
  stamps.push(2, {2000, 5});
  ASSERT_TRUE(stamps.find(2));
  EXPECT_EQ(stamps.find(2)->ts, 2000);
  EXPECT_EQ(stamps.find(1)->arrays, 5u);
}

TEST(PacketStamps, KnowsNothingOfPacketsNotPushedOrOverwritten) {
  packet_stamps stamps;
  EXPECT_FALSE(stamps.find(0));
  EXPECT_FALSE(stamps.find(3));
  for (std::uint64_t seq = 1; seq <= packet_stamps::capacity + 1; ++seq) stamps.push(seq, stamp_of(seq));
  EXPECT_FALSE(stamps.find(1)) << "its slot now holds packet capacity + 1";
  EXPECT_EQ(stamps.find(2)->ts, 14);
  EXPECT_EQ(stamps.find(packet_stamps::capacity + 1)->ts, stamp_of(packet_stamps::capacity + 1).ts);
  EXPECT_FALSE(stamps.find(packet_stamps::capacity + 2));
}

// Run under TSan in CI: no lock, and still never a stamp of another packet.
TEST(PacketStamps, AReaderRacingTheWriterGetsTheRightStampOrNone) {
  packet_stamps stamps;
  constexpr std::uint64_t last = 200'000;
  std::atomic<std::uint64_t> head{0};
  std::thread writer([&] {
    for (std::uint64_t seq = 1; seq <= last; ++seq) {
      stamps.push(seq, stamp_of(seq));
      head.store(seq, std::memory_order_release);
    }
  });
  std::uint64_t found = 0;
  for (std::uint64_t h = 0; h < last;) {
    h = head.load(std::memory_order_acquire);
    for (auto seq = h; seq > 0 && seq + 8 > h; --seq) {  // the newest few, which the writer may be rewriting
      if (auto s = stamps.find(seq)) {
        ASSERT_EQ(s->ts, stamp_of(seq).ts) << seq;
        ASSERT_EQ(s->arrays, stamp_of(seq).arrays) << seq;
        ++found;
      }
    }
  }
  writer.join();
  EXPECT_GT(found, 0u);
}

}  // namespace
}  // namespace arraycast
