#include "verify/seq_set.hpp"

#include <algorithm>
#include <iterator>

namespace arraycast {

bool seq_set::contains(std::uint64_t seq) const {
  auto it = ranges_.upper_bound(seq);
  return it != ranges_.begin() && std::prev(it)->second >= seq;
}

// Merges `r` with every range it overlaps or touches.
void seq_set::insert(seq_range r) {
  auto it = ranges_.upper_bound(r.from);
  if (it != ranges_.begin() && std::prev(it)->second + 1 >= r.from) --it;
  while (it != ranges_.end() && it->first <= r.to + 1) {
    r.from = std::min(r.from, it->first);
    r.to = std::max(r.to, it->second);
    it = ranges_.erase(it);
  }
  ranges_.emplace(r.from, r.to);
}

std::vector<seq_range> seq_set::missing(seq_range within) const {
  std::vector<seq_range> out;
  auto next = within.from;  // the first seq not yet accounted for
  for (auto it = ranges_.begin(); it != ranges_.end() && next <= within.to; ++it) {
    if (it->second < next) continue;
    if (it->first > next) out.push_back({next, std::min(it->first - 1, within.to)});
    next = it->second + 1;
  }
  if (next <= within.to && next != 0) out.push_back({next, within.to});
  return out;
}

}  // namespace arraycast
