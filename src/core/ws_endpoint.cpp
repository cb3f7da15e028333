#include "core/ws_endpoint.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace arraycast {

std::string describe(const endpoint_list& endpoints) {
  std::vector<std::string_view> urls;
  urls.reserve(endpoints.size());
  for (const auto& e : endpoints) urls.emplace_back(e.url);
  return fmt::format("{}", fmt::join(urls, ","));
}

}  // namespace arraycast
