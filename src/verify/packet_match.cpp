#include "verify/packet_match.hpp"

#include <fmt/format.h>

#include "core/values.hpp"

namespace arraycast {

void packet_match::add(const std::optional<located_arrays>& ours, const std::optional<located_arrays>& theirs) {
  if (!ours && !theirs) return;
  if (!ours || !theirs) {
    ++(ours ? out_.only_ours : out_.only_theirs);
    if (!out_.first_only) out_.first_only = ours ? ours->where : theirs->where;
    return;
  }
  ++out_.compared;
  if (auto detail = first_difference(ours->arrays, theirs->arrays))
    out_.mismatches.add({out_.compared, ours->where, theirs->where, std::move(*detail)});
}

std::optional<std::string> first_difference(const std::vector<array_t>& ours, const std::vector<array_t>& theirs) {
  if (ours.size() != theirs.size()) return fmt::format("{} arrays, not {}", ours.size(), theirs.size());
  for (std::size_t i = 0; i < ours.size(); ++i) {
    if (ours[i].size() != theirs[i].size())
      return fmt::format("array {} has {} values, not {}", i, ours[i].size(), theirs[i].size());
    for (std::size_t j = 0; j < ours[i].size(); ++j)
      if (!(ours[i][j] == theirs[i][j])) return fmt::format("array {} value {} is {}, not {}", i, j, ours[i][j], theirs[i][j]);
  }
  return std::nullopt;
}

}  // namespace arraycast
