#include "server/receipt_log.hpp"

#include <algorithm>
#include <string>

#include <boost/accumulators/accumulators.hpp>
#include <boost/accumulators/statistics/max.hpp>
#include <boost/accumulators/statistics/p_square_quantile.hpp>
#include <boost/accumulators/statistics/stats.hpp>
#include <spdlog/spdlog.h>

namespace arraycast {

namespace acc = boost::accumulators;

namespace {

// P-square: the median in constant memory (five markers), whatever the rate.
using latency_stats = acc::accumulator_set<double, acc::stats<acc::tag::p_square_quantile, acc::tag::max>>;

// P-square's estimate means something from five samples on.
constexpr std::size_t median_min_samples = 5;

latency_stats fresh_stats() { return latency_stats(acc::quantile_probability = 0.5); }

void log_receipt(std::string_view who, std::uint64_t seq, const std::optional<packet_stamps::stamp>& stamp,
                 std::int64_t now) {
  if (stamp)
    spdlog::info("{} received packet {} ({} arrays) {:.1f} ms after it was sent", who, seq, stamp->arrays,
                 static_cast<double>(now - stamp->ts) / 1000.0);
  else
    spdlog::info("{} received packet {}", who, seq);
}

}  // namespace

struct receipt_log::summary {
  std::size_t received = 0;
  std::uint64_t highest = 0;
  std::size_t timed = 0;  // receipts whose packet's ts was known
  latency_stats latency_ms = fresh_stats();
};

receipt_log::receipt_log(const receipt_policy& policy) : policy_(policy) {}

receipt_log::~receipt_log() = default;

void receipt_log::on_ack(std::string_view who, std::uint64_t seq, const std::optional<packet_stamps::stamp>& stamp,
                         std::int64_t now) {
  switch (policy_.mode) {
    case receipt_logging::none: return;
    case receipt_logging::all: return log_receipt(who, seq, stamp, now);
    case receipt_logging::automatic: break;
  }
  if (period_start_ == 0 || now - period_start_ >= policy_.period.count()) start_period(who, now);
  if (lines_ < lines_per_period) {
    ++lines_;
    return log_receipt(who, seq, stamp, now);
  }
  summarize(seq, stamp, now);
}

void receipt_log::start_period(std::string_view who, std::int64_t now) {
  flush(who, now);
  period_start_ = now;
  lines_ = 0;
}

void receipt_log::summarize(std::uint64_t seq, const std::optional<packet_stamps::stamp>& stamp, std::int64_t now) {
  if (!summary_) summary_ = std::make_unique<summary>();
  auto& s = *summary_;
  ++s.received;
  s.highest = std::max(s.highest, seq);
  if (!stamp) return;
  ++s.timed;
  s.latency_ms(static_cast<double>(now - stamp->ts) / 1000.0);
}

void receipt_log::flush(std::string_view who, std::int64_t now) {
  if (!summary_ || summary_->received == 0) return;
  auto& s = *summary_;
  const auto seconds = static_cast<double>(now - period_start_) / 1e6;
  const auto latency =
      s.timed == 0 ? std::string()
      : s.timed < median_min_samples
          ? fmt::format(": latency max {:.1f} ms", acc::max(s.latency_ms))
          : fmt::format(": latency p50 {:.1f} ms, max {:.1f} ms", acc::p_square_quantile(s.latency_ms),
                        acc::max(s.latency_ms));
  spdlog::info("{} received {} packets without a line in {:.1f} s, up to packet {}{}", who, s.received, seconds,
               s.highest, latency);
  s = summary{};
}

}  // namespace arraycast
