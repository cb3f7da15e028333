#pragma once

#include <atomic>
#include <cstdint>
#include <string_view>

#include "core/reject_reason.hpp"
#include "server/metrics.hpp"

namespace arraycast {

// A source's inputs that were not packets: each counted by reason in
// arraycast_source_rejected_total, the first few logged with their detail.
// Any thread: the counters are atomic.
class rejection_log {
public:
  explicit rejection_log(server_metrics& metrics) : metrics_(metrics) {}
  void record(reject_reason reason, std::string_view detail);

private:
  static constexpr std::uint64_t logged = 10;  // then only counted: an outsider controls the detail
  server_metrics& metrics_;
  std::atomic<std::uint64_t> seen_{0};
};

}  // namespace arraycast
