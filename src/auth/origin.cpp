#include "auth/origin.hpp"

#include <algorithm>
#include <cctype>

namespace arraycast::auth {

namespace {

bool same(std::string_view a, std::string_view b) {
  if (a.ends_with('/')) a.remove_suffix(1);
  if (b.ends_with('/')) b.remove_suffix(1);
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

}  // namespace

bool origin_allowed(std::string_view origin, std::string_view scheme, std::string_view host,
                    const std::vector<std::string>& allowed) {
  if (origin.empty()) return true;
  if (!host.empty() && same(origin, std::string(scheme) + "://" + std::string(host))) return true;
  return std::any_of(allowed.begin(), allowed.end(), [&](const std::string& a) { return same(origin, a); });
}

}  // namespace arraycast::auth
