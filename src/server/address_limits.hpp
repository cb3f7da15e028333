#pragma once

#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <unordered_map>
#include <variant>

#include "core/log_budget.hpp"
#include "core/token_bucket.hpp"
#include "server/metrics.hpp"
#include "server/server_config.hpp"
#include "util/net.hpp"

namespace arraycast {

// What the limits count an address as: an IPv4 address, an IPv4-mapped IPv6
// address as the IPv4 one (a dual-stack listener sees IPv4 clients so), and
// any other IPv6 address as its /64, which one subscriber usually holds whole.
net::ip::address limit_key(const net::ip::address& peer);

// The per-address limits on WebSocket upgrades (address_policy): how many
// clients one address may hold, and how fast it may open them (a token
// bucket per address). Refusals are counted in server_metrics and logged, a
// few a minute.
// Thread-safe: every event loop admits through it, and claims are given back
// on their session's loop.
class address_limits {
public:
  using clock = std::chrono::steady_clock;

  // A client's place in its address's count, held as long as the session:
  // given back when destroyed. Empty when there is no cap.
  class claim {
  public:
    claim() = default;
    claim(claim&& other) noexcept;
    claim& operator=(claim&& other) noexcept;
    claim(const claim&) = delete;
    claim& operator=(const claim&) = delete;
    ~claim();

  private:
    friend class address_limits;
    claim(address_limits& limits, net::ip::address key) : limits_(&limits), key_(key) {}
    address_limits* limits_ = nullptr;  // null: empty, or moved from
    net::ip::address key_;
  };

  struct refusal {
    address_refusal reason;
    clock::duration retry_after;  // when trying again may succeed (an estimate for per_ip)
  };

  address_limits(const address_policy& policy, server_metrics& metrics);

  // Admits an upgrade from `peer`, or says why not.
  std::variant<claim, refusal> try_admit(const net::ip::address& peer, clock::time_point now);
  // Addresses remembered now, for tests: bounded by max_tracked plus the addresses holding clients.
  std::size_t tracked() const;

private:
  struct entry {
    token_bucket bucket;
    std::size_t clients = 0;                      // claims alive
    std::list<net::ip::address>::iterator unheld;  // its place in unheld_ while clients == 0
  };
  using table = std::unordered_map<net::ip::address, entry>;

  std::variant<claim, refusal> admit(const net::ip::address& key, clock::time_point now);
  table::iterator find_or_add(const net::ip::address& key);
  void forget_unused(clock::time_point now);
  void release(const net::ip::address& key);
  void log_refusal(const net::ip::address& peer, const refusal& r, log_budget::verdict v) const;

  const address_policy policy_;
  const token_bucket::shape shape_;
  server_metrics& metrics_;  // the hub's; atomics, any thread

  // This mutex synchronizes all access to entries_, unheld_ and log_budget_.
  mutable std::mutex mutex_;
  table entries_;
  // The entries without clients, most recently seen first: the ones that may be forgotten.
  std::list<net::ip::address> unheld_;
  log_budget log_budget_{10, std::chrono::minutes(1)};  // an attacker controls how often we refuse
};

}  // namespace arraycast
