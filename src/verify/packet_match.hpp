#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/packet.hpp"
#include "verify/recording_check.hpp"

namespace arraycast {

// One packet's arrays, with where it is, for messages: "line 12 (epoch 3, seq 7)".
struct located_arrays {
  std::string where;
  std::vector<array_t> arrays;
};

struct packet_mismatch {
  std::uint64_t index = 0;  // position in the stream, from 1
  std::string ours;         // where, in each
  std::string theirs;
  std::string detail;       // the first difference
};

struct match_summary {
  std::uint64_t compared = 0;
  findings<packet_mismatch> mismatches;
  std::uint64_t only_ours = 0;    // packets past the end of the other
  std::uint64_t only_theirs = 0;
  std::optional<std::string> first_only;  // where the first of those is
  std::uint64_t unreadable_theirs = 0;    // lines of the other file that are not packets

  bool ok() const { return mismatches.count + only_ours + only_theirs + unreadable_theirs == 0; }
};

// Compares two sequences of packets by position: the n-th packet of one
// with the n-th of the other, value by value, kind included (1 is not 1.0).
// Pure: no I/O.
class packet_match {
public:
  // One position; an empty side has ended.
  void add(const std::optional<located_arrays>& ours, const std::optional<located_arrays>& theirs);
  void add_unreadable_theirs() { ++out_.unreadable_theirs; }
  match_summary finish() { return std::move(out_); }

private:
  match_summary out_;
};

// The first difference between two packets' arrays, if any.
std::optional<std::string> first_difference(const std::vector<array_t>& ours, const std::vector<array_t>& theirs);

}  // namespace arraycast
