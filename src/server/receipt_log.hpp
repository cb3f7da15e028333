#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "core/packet_stamps.hpp"

namespace arraycast {

// What the server logs when a client acks a packet (--log-receipts).
enum class receipt_logging {
  automatic,  // a line per receipt up to lines_per_period, then a summary per period
  all,        // a line per receipt
  none,
};

struct receipt_policy {
  receipt_logging mode = receipt_logging::automatic;
  std::chrono::microseconds period = std::chrono::seconds(10);  // of the summaries; 6 a minute at most
};

// One session's receipt log. At the seed's pace (a packet every 2 s) every
// receipt gets its line; a client that acks faster gets its first
// lines_per_period receipts of each period as lines and the rest in one
// summary line (count, highest seq, latency p50 and max), so its log grows by
// at most lines_per_period + 1 lines per period whatever it sends.
// The summary of a period is written by the first ack after the period, or
// by flush() when the client leaves. Session loop only.
class receipt_log {
public:
  static constexpr std::size_t lines_per_period = 10;

  explicit receipt_log(const receipt_policy& policy);
  ~receipt_log();

  // `stamp`: the acked packet's, if still known. `now`: µs since the Unix epoch.
  void on_ack(std::string_view who, std::uint64_t seq, const std::optional<packet_stamps::stamp>& stamp,
              std::int64_t now);
  // Logs the summary of the receipts that got no line, if there are any.
  void flush(std::string_view who, std::int64_t now);

private:
  struct summary;  // count, highest seq, latency quantiles of the receipts without a line

  void start_period(std::string_view who, std::int64_t now);
  void summarize(std::uint64_t seq, const std::optional<packet_stamps::stamp>& stamp, std::int64_t now);

  const receipt_policy policy_;
  std::int64_t period_start_ = 0;     // µs; 0: no ack yet
  std::size_t lines_ = 0;             // receipt lines written in this period
  std::unique_ptr<summary> summary_;  // only for a client that ever went over lines_per_period
};

}  // namespace arraycast
