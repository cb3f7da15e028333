#include "core/keepalive.hpp"

#include <gtest/gtest.h>

namespace arraycast {
namespace {

using namespace std::chrono_literals;
using action = keepalive::action;

struct keepalive_test : ::testing::Test {
  keepalive k{300ms, 200ms};
  keepalive::clock::time_point t0 = keepalive::clock::now();
  void SetUp() override { k.start(t0); }
};

TEST_F(keepalive_test, a_peer_heard_within_the_interval_is_not_pinged) {
  EXPECT_EQ(k.check(t0 + 299ms), action::wait);
  k.received(t0 + 250ms);
  EXPECT_EQ(k.check(t0 + 500ms), action::wait);
  EXPECT_EQ(k.next_check(), t0 + 550ms);
}

TEST_F(keepalive_test, silence_gets_a_ping_and_a_pong_answers_it) {
  EXPECT_EQ(k.check(t0 + 300ms), action::ping);
  EXPECT_EQ(k.next_check(), t0 + 500ms);
  k.ping_written();
  k.pong(t0 + 350ms);
  EXPECT_EQ(k.check(t0 + 600ms), action::wait);
  EXPECT_EQ(k.check(t0 + 650ms), action::ping);
}

TEST_F(keepalive_test, an_unanswered_ping_gives_up_after_the_timeout) {
  EXPECT_EQ(k.check(t0 + 300ms), action::ping);
  EXPECT_EQ(k.check(t0 + 499ms), action::wait);
  EXPECT_EQ(k.check(t0 + 500ms), action::give_up);
}

// Other traffic is not an answer, and never starts a second ping while the
// first is pending (Beast asserts on that).
TEST_F(keepalive_test, a_chatty_peer_that_never_takes_the_ping_is_given_up_on) {
  EXPECT_EQ(k.check(t0 + 300ms), action::ping);
  k.received(t0 + 400ms);
  EXPECT_EQ(k.check(t0 + 450ms), action::wait);
  k.received(t0 + 480ms);
  EXPECT_EQ(k.check(t0 + 500ms), action::give_up);
}

// A pong can arrive before the ping's own completion is handled: the next
// ping still waits for that completion.
TEST_F(keepalive_test, no_second_ping_before_the_first_write_completed) {
  EXPECT_EQ(k.check(t0 + 300ms), action::ping);
  k.pong(t0 + 310ms);
  EXPECT_EQ(k.check(t0 + 700ms), action::wait);
  k.ping_written();
  EXPECT_EQ(k.check(t0 + 700ms), action::ping);
}

}  // namespace
}  // namespace arraycast
