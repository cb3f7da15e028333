#include "server/rejection_log.hpp"

#include <spdlog/spdlog.h>

namespace arraycast {

void rejection_log::record(reject_reason reason, std::string_view detail) {
  metrics_.reject(reason);
  const auto n = ++seen_;
  if (n <= logged)
    spdlog::warn("source input rejected ({}): {}{}", reject_reason_names[static_cast<std::size_t>(reason)], detail,
                 n == logged ? "; further rejections are only counted in /metrics" : "");
}

}  // namespace arraycast
