#include "server/address_limits.hpp"

#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace arraycast {
namespace {

using namespace std::chrono_literals;
using clock_type = address_limits::clock;

const clock_type::time_point t0{std::chrono::hours(1)};
const auto a = net::ip::make_address("192.0.2.1");
const auto b = net::ip::make_address("192.0.2.2");

bool admitted(const std::variant<address_limits::claim, address_limits::refusal>& v) {
  return std::holds_alternative<address_limits::claim>(v);
}

std::uint64_t refused(const server_metrics& m, address_refusal r) {
  return m.refused_by_address[static_cast<std::size_t>(r)].load();
}

TEST(address_limits, keys_ipv4_mapped_as_ipv4_and_ipv6_by_its_slash_64) {
  EXPECT_EQ(limit_key(a), a);
  EXPECT_EQ(limit_key(net::ip::make_address("::ffff:192.0.2.1")), a);
  EXPECT_EQ(limit_key(net::ip::make_address("2001:db8:1:2:aaaa::1")), net::ip::make_address("2001:db8:1:2::"));
  EXPECT_EQ(limit_key(net::ip::make_address("2001:db8:1:2:bbbb::9")), net::ip::make_address("2001:db8:1:2::"));
  EXPECT_NE(limit_key(net::ip::make_address("2001:db8:1:3::1")), net::ip::make_address("2001:db8:1:2::"));
}

TEST(address_limits, without_a_policy_admits_everyone_and_remembers_no_one) {
  server_metrics m;
  address_limits limits({}, m);
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(admitted(limits.try_admit(a, t0)));
  EXPECT_EQ(limits.tracked(), 0u);
}

TEST(address_limits, caps_clients_per_address_and_admits_again_when_one_leaves) {
  server_metrics m;
  address_limits limits({.max_clients = 2}, m);
  auto first = limits.try_admit(a, t0);
  auto second = limits.try_admit(limit_key(net::ip::make_address("::ffff:192.0.2.1")), t0);
  ASSERT_TRUE(admitted(first) && admitted(second));
  const auto third = limits.try_admit(a, t0);
  ASSERT_FALSE(admitted(third));
  EXPECT_EQ(std::get<address_limits::refusal>(third).reason, address_refusal::per_ip);
  EXPECT_GE(std::get<address_limits::refusal>(third).retry_after, 1s);
  EXPECT_TRUE(admitted(limits.try_admit(b, t0))) << "another address has its own count";
  EXPECT_EQ(refused(m, address_refusal::per_ip), 1u);

  std::get<address_limits::claim>(first) = address_limits::claim{};  // gives the claim back
  EXPECT_TRUE(admitted(limits.try_admit(a, t0)));
}

TEST(address_limits, claims_move_without_counting_twice_and_the_table_empties_when_all_leave) {
  server_metrics m;
  address_limits limits({.max_clients = 1}, m);
  {
    auto v = limits.try_admit(a, t0);
    auto moved = std::move(std::get<address_limits::claim>(v));
    address_limits::claim held;
    held = std::move(moved);
    EXPECT_FALSE(admitted(limits.try_admit(a, t0)));
  }
  EXPECT_EQ(limits.tracked(), 0u);
  EXPECT_TRUE(admitted(limits.try_admit(a, t0)));
}

TEST(address_limits, rate_limits_upgrades_per_address_after_the_burst_and_recovers) {
  server_metrics m;
  address_limits limits({.handshake_interval = 100ms, .handshake_burst = 3}, m);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(admitted(limits.try_admit(a, t0))) << i;
  const auto over = limits.try_admit(a, t0 + 10ms);
  ASSERT_FALSE(admitted(over));
  EXPECT_EQ(std::get<address_limits::refusal>(over).reason, address_refusal::rate);
  EXPECT_EQ(std::get<address_limits::refusal>(over).retry_after, 90ms);
  EXPECT_TRUE(admitted(limits.try_admit(b, t0 + 10ms))) << "another address has its own bucket";
  EXPECT_TRUE(admitted(limits.try_admit(a, t0 + 100ms)));
  EXPECT_FALSE(admitted(limits.try_admit(a, t0 + 100ms)));
  EXPECT_EQ(refused(m, address_refusal::rate), 2u);
  EXPECT_EQ(refused(m, address_refusal::per_ip), 0u);
}

TEST(address_limits, an_address_at_its_cap_still_spends_tokens) {
  server_metrics m;
  address_limits limits({.max_clients = 1, .handshake_interval = 1s, .handshake_burst = 3}, m);
  auto held = limits.try_admit(a, t0);
  EXPECT_FALSE(admitted(limits.try_admit(a, t0)));
  EXPECT_FALSE(admitted(limits.try_admit(a, t0)));
  const auto third = limits.try_admit(a, t0);
  EXPECT_EQ(std::get<address_limits::refusal>(third).reason, address_refusal::rate);
}

TEST(address_limits, forgets_idle_addresses_and_bounds_the_table_under_many_addresses) {
  server_metrics m;
  address_limits limits({.handshake_interval = 1s, .handshake_burst = 2, .max_tracked = 100}, m);
  for (std::uint32_t i = 0; i < 10'000; ++i)
    (void)limits.try_admit(net::ip::address_v4(0x0A000000 + i), t0 + std::chrono::microseconds(i));
  EXPECT_EQ(limits.tracked(), 100u);
  // Once every bucket is full again, the next admission sweeps them out.
  (void)limits.try_admit(a, t0 + 10s);
  EXPECT_EQ(limits.tracked(), 1u);
}

TEST(address_limits, addresses_holding_clients_are_never_forgotten) {
  server_metrics m;
  address_limits limits({.max_clients = 1, .handshake_interval = 1ms, .handshake_burst = 1, .max_tracked = 2}, m);
  auto held = limits.try_admit(a, t0);
  ASSERT_TRUE(admitted(held));
  for (std::uint32_t i = 0; i < 100; ++i) (void)limits.try_admit(net::ip::address_v4(0x0A000000 + i), t0);
  EXPECT_FALSE(admitted(limits.try_admit(a, t0 + 1s))) << "a's client is still counted";
  EXPECT_LE(limits.tracked(), 3u);
}

TEST(address_limits, counts_stay_exact_when_many_loops_admit_and_release_at_once) {
  server_metrics m;
  address_limits limits({.max_clients = 4}, m);
  std::vector<std::thread> loops;
  for (int t = 0; t < 4; ++t)
    loops.emplace_back([&] {
      for (int i = 0; i < 10'000; ++i) {
        auto v = limits.try_admit(a, clock_type::now());
        EXPECT_TRUE(admitted(v));
      }
    });
  for (auto& t : loops) t.join();
  EXPECT_EQ(limits.tracked(), 0u);
  EXPECT_EQ(refused(m, address_refusal::per_ip), 0u);
}

}  // namespace
}  // namespace arraycast
