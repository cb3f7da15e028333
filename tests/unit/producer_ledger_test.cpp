#include "core/producer_ledger.hpp"

#include <gtest/gtest.h>

namespace arraycast {
namespace {

using kind = producer_ledger::kind;

TEST(producer_ledger, new_packets_are_fresh_in_order) {
  producer_ledger l;
  for (std::uint64_t pseq = 1; pseq <= 5; ++pseq) {
    const auto v = l.accept("p", pseq);
    EXPECT_EQ(v.what, kind::fresh);
    EXPECT_EQ(v.skipped, 0u);
  }
}

TEST(producer_ledger, a_resend_is_pending_until_published_then_acked_with_its_seq) {
  producer_ledger l;
  EXPECT_EQ(l.accept("p", 1).what, kind::fresh);
  EXPECT_EQ(l.accept("p", 1).what, kind::pending);
  l.published("p", 1, 42);
  const auto v = l.accept("p", 1);
  EXPECT_EQ(v.what, kind::published);
  EXPECT_EQ(v.seq, 42u);
}

TEST(producer_ledger, a_pseq_jump_reports_what_was_skipped) {
  producer_ledger l;
  l.accept("p", 1);
  const auto v = l.accept("p", 5);
  EXPECT_EQ(v.what, kind::fresh);
  EXPECT_EQ(v.skipped, 3u);
  // A skipped pseq cannot come later: the producer never had it to send.
  EXPECT_EQ(l.accept("p", 3).what, kind::too_old);
}

// After a server restart the ledger is empty: the producer resends from its
// oldest unacknowledged packet, which is not a jump.
TEST(producer_ledger, the_first_pseq_of_an_unknown_producer_starts_it) {
  producer_ledger l;
  const auto v = l.accept("p", 1000);
  EXPECT_EQ(v.what, kind::fresh);
  EXPECT_EQ(v.skipped, 0u);
}

TEST(producer_ledger, producers_are_kept_apart) {
  producer_ledger l;
  l.accept("a", 1);
  l.published("a", 1, 7);
  EXPECT_EQ(l.accept("b", 1).what, kind::fresh);
  l.published("b", 1, 8);
  EXPECT_EQ(l.accept("a", 1).seq, 7u);
  EXPECT_EQ(l.accept("b", 1).seq, 8u);
}

TEST(producer_ledger, only_the_newest_window_of_pseqs_is_remembered) {
  producer_ledger l(3, 4);
  for (std::uint64_t pseq = 1; pseq <= 5; ++pseq) {
    l.accept("p", pseq);
    l.published("p", pseq, pseq + 100);
  }
  EXPECT_EQ(l.accept("p", 2).what, kind::too_old);
  EXPECT_EQ(l.accept("p", 3).seq, 103u);
  EXPECT_EQ(l.accept("p", 5).seq, 105u);
}

TEST(producer_ledger, the_least_recently_heard_producer_is_forgotten_first) {
  producer_ledger l(16, 2);
  l.accept("a", 1);
  l.accept("b", 1);
  l.accept("a", 2);  // a heard last: b goes when c comes
  l.accept("c", 1);
  EXPECT_EQ(l.accept("a", 2).what, kind::pending);
  const auto b = l.accept("b", 1);  // forgotten: starts afresh
  EXPECT_EQ(b.what, kind::fresh);
}

TEST(producer_ledger, publishing_an_unknown_packet_is_ignored) {
  producer_ledger l;
  l.published("nobody", 1, 1);
  l.accept("p", 1);
  l.published("p", 9, 1);
  EXPECT_EQ(l.accept("p", 1).what, kind::pending);
}

}  // namespace
}  // namespace arraycast
