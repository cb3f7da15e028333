#include "core/producer_ledger.hpp"

#include <algorithm>

namespace arraycast {

producer_ledger::producer_ledger(std::size_t window, std::size_t producers)
    : window_(std::max<std::size_t>(window, 1)), max_producers_(std::max<std::size_t>(producers, 1)) {}

producer_ledger::verdict producer_ledger::accept(std::string_view producer_id, std::uint64_t pseq) {
  auto& p = find_or_add(producer_id);
  if (!p.recent.empty() && pseq <= p.recent.back().pseq) {
    if (pseq < p.recent.front().pseq) return {kind::too_old, 0, 0};
    const auto* e = find(p, pseq);
    // Inside the window but never accepted: a pseq the producer skipped
    // once, which it cannot have read since.
    if (e == nullptr) return {kind::too_old, 0, 0};
    return e->seq == 0 ? verdict{kind::pending, 0, 0} : verdict{kind::published, e->seq, 0};
  }
  const std::uint64_t skipped = p.recent.empty() ? 0 : pseq - p.recent.back().pseq - 1;
  p.recent.push_back({pseq, 0});
  if (p.recent.size() > window_) p.recent.pop_front();
  return {kind::fresh, 0, skipped};
}

void producer_ledger::published(std::string_view producer_id, std::uint64_t pseq, std::uint64_t seq) {
  const auto it =
      std::find_if(producers_.begin(), producers_.end(), [&](const producer& p) { return p.id == producer_id; });
  if (it == producers_.end()) return;
  if (auto* e = find(*it, pseq)) e->seq = seq;
}

// The least recently heard producer makes room for a new one.
producer_ledger::producer& producer_ledger::find_or_add(std::string_view id) {
  auto it = std::find_if(producers_.begin(), producers_.end(), [&](const producer& p) { return p.id == id; });
  if (it == producers_.end()) {
    if (producers_.size() == max_producers_) producers_.erase(producers_.begin());
    producers_.push_back({std::string(id), {}});
    return producers_.back();
  }
  std::rotate(it, it + 1, producers_.end());
  return producers_.back();
}

producer_ledger::entry* producer_ledger::find(producer& p, std::uint64_t pseq) {
  const auto it = std::lower_bound(p.recent.begin(), p.recent.end(), pseq,
                                   [](const entry& e, std::uint64_t v) { return e.pseq < v; });
  return it != p.recent.end() && it->pseq == pseq ? &*it : nullptr;
}

}  // namespace arraycast
