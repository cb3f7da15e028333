#pragma once

#include <cstdint>
#include <map>
#include <vector>

namespace arraycast {

struct seq_range {
  std::uint64_t from = 0;
  std::uint64_t to = 0;  // inclusive
  friend bool operator==(const seq_range&, const seq_range&) = default;
};

// A set of seqs kept as disjoint ranges: a stream's packets come mostly in
// order, so a recording of millions of packets costs a few entries.
class seq_set {
public:
  bool contains(std::uint64_t seq) const;
  void insert(seq_range r);
  // The seqs of `within` that are not in the set, in order.
  std::vector<seq_range> missing(seq_range within) const;

private:
  std::map<std::uint64_t, std::uint64_t> ranges_;  // from -> to, disjoint and not adjacent
};

}  // namespace arraycast
