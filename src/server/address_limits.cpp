#include "server/address_limits.hpp"

#include <algorithm>
#include <utility>

#include <spdlog/spdlog.h>

namespace arraycast {

namespace {

// When a client of a full address leaves cannot be known; the --max-clients
// refusal says 5 s too.
constexpr auto per_ip_retry = std::chrono::seconds(5);

}  // namespace

net::ip::address limit_key(const net::ip::address& peer) {
  if (peer.is_v4()) return peer;
  const auto v6 = peer.to_v6();
  if (v6.is_v4_mapped()) return net::ip::make_address_v4(net::ip::v4_mapped, v6);
  auto bytes = v6.to_bytes();
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  return net::ip::address_v6(bytes);
}

address_limits::claim::claim(claim&& other) noexcept
    : limits_(std::exchange(other.limits_, nullptr)), key_(other.key_) {}

address_limits::claim& address_limits::claim::operator=(claim&& other) noexcept {
  if (this == &other) return *this;
  if (limits_) limits_->release(key_);
  limits_ = std::exchange(other.limits_, nullptr);
  key_ = other.key_;
  return *this;
}

address_limits::claim::~claim() {
  if (limits_) limits_->release(key_);
}

address_limits::address_limits(const address_policy& policy, server_metrics& metrics)
    : policy_(policy),
      shape_{policy.handshake_interval, std::max<std::size_t>(policy.handshake_burst, 1)},
      metrics_(metrics) {}

std::variant<address_limits::claim, address_limits::refusal> address_limits::try_admit(const net::ip::address& peer,
                                                                                       clock::time_point now) {
  if (policy_.max_clients == 0 && shape_.interval == clock::duration::zero()) return claim{};
  std::variant<claim, refusal> verdict;
  log_budget::verdict log;
  {
    std::lock_guard lock(mutex_);
    verdict = admit(limit_key(peer), now);
    if (std::holds_alternative<refusal>(verdict)) log = log_budget_.take(now);
  }
  // Outside the lock: counters are atomic, and logging may allocate.
  if (const auto* r = std::get_if<refusal>(&verdict)) {
    metrics_.refuse(r->reason);
    log_refusal(peer, *r, log);
  }
  return verdict;
}

std::size_t address_limits::tracked() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

// Under mutex_. The rate is checked first: an address that keeps knocking
// on its full cap spends its tokens too.
std::variant<address_limits::claim, address_limits::refusal> address_limits::admit(const net::ip::address& key,
                                                                                   clock::time_point now) {
  forget_unused(now);
  auto& e = find_or_add(key)->second;
  if (shape_.interval > clock::duration::zero() && !e.bucket.try_take(shape_, now))
    return refusal{address_refusal::rate, e.bucket.wait(shape_, now)};
  if (policy_.max_clients == 0) return claim{};
  if (e.clients >= policy_.max_clients) return refusal{address_refusal::per_ip, per_ip_retry};
  if (e.clients++ == 0) unheld_.erase(e.unheld);
  return claim(*this, key);
}

// Under mutex_. A known address without clients moves to the front of
// unheld_; past max_tracked, the least recently seen is forgotten. That one
// gets a full bucket back, which an attacker with that many addresses has anyway.
address_limits::table::iterator address_limits::find_or_add(const net::ip::address& key) {
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    if (it->second.clients == 0) unheld_.splice(unheld_.begin(), unheld_, it->second.unheld);
    return it;
  }
  while (!unheld_.empty() && unheld_.size() >= std::max<std::size_t>(policy_.max_tracked, 1)) {
    entries_.erase(unheld_.back());
    unheld_.pop_back();
  }
  unheld_.push_front(key);
  it = entries_.emplace(key, entry{token_bucket{}, 0, unheld_.begin()}).first;
  return it;
}

// Under mutex_. An address without clients whose bucket is full again is
// the same as one never seen: forgotten, oldest first.
void address_limits::forget_unused(clock::time_point now) {
  while (!unheld_.empty()) {
    const auto it = entries_.find(unheld_.back());
    if (!it->second.bucket.full(now)) return;
    entries_.erase(it);
    unheld_.pop_back();
  }
}

void address_limits::release(const net::ip::address& key) {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(key);
  if (--it->second.clients > 0) return;
  // Without a rate limit there is nothing left to remember.
  if (shape_.interval == clock::duration::zero()) {
    entries_.erase(it);
    return;
  }
  unheld_.push_front(key);
  it->second.unheld = unheld_.begin();
}

void address_limits::log_refusal(const net::ip::address& peer, const refusal& r, log_budget::verdict v) const {
  if (v.held_back > 0) spdlog::warn("{} more upgrades were refused by address limits, not logged", v.held_back);
  if (!v.log) return;
  if (r.reason == address_refusal::rate)
    spdlog::warn("refusing an upgrade from {}: its address is over --handshake-rate, the next in {} ms",
                 peer.to_string(), std::chrono::duration_cast<std::chrono::milliseconds>(r.retry_after).count());
  else
    spdlog::warn("refusing a client from {}: {} clients from its address, the limit (--max-clients-per-ip)",
                 peer.to_string(), policy_.max_clients);
}

}  // namespace arraycast
