#include "server/connection_registry.hpp"

#include <utility>
#include <vector>

namespace arraycast {

connection_slot::connection_slot(connection_slot&& other) noexcept
    : registry_(std::exchange(other.registry_, nullptr)), id_(other.id_), address_(std::move(other.address_)) {}

connection_slot::~connection_slot() {
  if (registry_) registry_->close(id_);
}

void connection_slot::on_stop(net::any_io_executor loop, std::function<void()> stop) {
  registry_->set_stop(id_, std::move(loop), std::move(stop));
}

connection_registry::connection_registry(std::size_t limit, server_metrics& metrics)
    : limit_(limit), metrics_(metrics) {}

std::optional<connection_slot> connection_registry::try_open() {
  std::lock_guard lock(mutex_);
  if (stopping_ || entries_.size() >= limit_) {
    server_metrics::bump(metrics_.connections_refused);
    return std::nullopt;
  }
  const auto id = next_id_++;
  entries_.emplace(id, entry{});
  metrics_.connections_open.store(entries_.size(), std::memory_order_relaxed);
  return connection_slot(*this, id);
}

void connection_registry::stop_all() {
  std::vector<entry> all;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (const auto& [_, e] : entries_)
      if (e.stop) all.push_back(e);
  }
  // Outside the lock: a stop action frees its slot, which takes the lock.
  for (auto& e : all) net::post(e.loop, std::move(e.stop));
}

std::size_t connection_registry::open() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

void connection_registry::set_stop(std::uint64_t id, net::any_io_executor loop, std::function<void()> stop) {
  std::lock_guard lock(mutex_);
  entries_.at(id) = entry{std::move(loop), std::move(stop)};
}

void connection_registry::close(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  entries_.erase(id);
  metrics_.connections_open.store(entries_.size(), std::memory_order_relaxed);
}

}  // namespace arraycast
