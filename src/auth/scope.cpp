#include "auth/scope.hpp"

#include <array>
#include <utility>

namespace arraycast::auth {

namespace {

constexpr std::array<std::pair<std::string_view, scope>, 3> names{
    {{"read", scope::read}, {"publish", scope::publish}, {"admin", scope::admin}}};

}  // namespace

std::optional<scope> parse_scope(std::string_view word) {
  for (const auto& [name, s] : names)
    if (word == name) return s;
  return std::nullopt;
}

scope_set parse_scope_claim(std::string_view claim) {
  scope_set set;
  while (!claim.empty()) {
    const auto end = claim.find(' ');
    if (auto s = parse_scope(claim.substr(0, end))) set.add(*s);
    if (end == std::string_view::npos) break;
    claim.remove_prefix(end + 1);
  }
  return set;
}

std::string scope_set::text() const {
  std::string out;
  for (const auto& [name, s] : names) {
    if (!has(s)) continue;
    if (!out.empty()) out += ' ';
    out += name;
  }
  return out;
}

}  // namespace arraycast::auth
