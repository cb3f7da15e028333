#include "server/receipt_log.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>
#include <string>
#include <vector>

namespace arraycast {
namespace {

using namespace std::chrono_literals;

// Routes the default logger into a string for the test's lifetime.
class captured_log {
public:
  captured_log() : previous_(spdlog::default_logger()) {
    auto logger = std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::ostream_sink_st>(out_));
    logger->set_pattern("%v");
    spdlog::set_default_logger(logger);
  }
  ~captured_log() { spdlog::set_default_logger(previous_); }

  std::vector<std::string> lines() const {
    std::vector<std::string> all;
    std::istringstream in(out_.str());
    for (std::string line; std::getline(in, line);) all.push_back(line);
    return all;
  }

private:
  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> previous_;
};

constexpr std::int64_t t0 = 1'764'000'000'000'000;  // µs
constexpr std::int64_t ms = 1000;

// Acks packets first..last, one every `every` µs from `start`, each 2 ms after it was sent.
std::int64_t ack(receipt_log& log, std::uint64_t first, std::uint64_t last, std::int64_t start, std::int64_t every) {
  auto now = start;
  for (auto seq = first; seq <= last; ++seq, now += every)
    log.on_ack("rec", seq, packet_stamps::stamp{now - 2 * ms, 5}, now);
  return now;
}

TEST(ReceiptLog, AtTheSeedsPaceEveryReceiptGetsItsLine) {
  captured_log out;
  receipt_log log({receipt_logging::automatic, 10s});
  const auto end = ack(log, 1, 30, t0, 2000 * ms);  // a packet every 2 s for a minute
  log.flush("rec", end);
  const auto lines = out.lines();
  ASSERT_EQ(lines.size(), 30u);
  EXPECT_EQ(lines.front(), "rec received packet 1 (5 arrays) 2.0 ms after it was sent");
  EXPECT_EQ(lines.back(), "rec received packet 30 (5 arrays) 2.0 ms after it was sent");
}

TEST(ReceiptLog, AFastClientGetsItsFirstLinesAndOneSummaryPerPeriod) {
  captured_log out;
  receipt_log log({receipt_logging::automatic, 10s});
  ack(log, 1, 1015, t0, 10 * ms);  // 100 packets/s: periods [0, 10 s) and [10 s, 10.4 s)
  log.flush("rec", t0 + 10'400 * ms);
  const auto lines = out.lines();
  ASSERT_EQ(lines.size(), 2 * (receipt_log::lines_per_period + 1)) << lines.size();
  EXPECT_EQ(lines[9], "rec received packet 10 (5 arrays) 2.0 ms after it was sent");
  EXPECT_EQ(lines[10],
            "rec received 990 packets without a line in 10.0 s, up to packet 1000: latency p50 2.0 ms, max 2.0 ms")
      << lines[10];
  EXPECT_EQ(lines[11], "rec received packet 1001 (5 arrays) 2.0 ms after it was sent");
  EXPECT_EQ(lines[21], "rec received 5 packets without a line in 0.4 s, up to packet 1015: latency p50 2.0 ms, max 2.0 ms");
}

TEST(ReceiptLog, TheFirstAckOfTheNextPeriodWritesTheSummary) {
  captured_log out;
  receipt_log log({receipt_logging::automatic, 1s});
  ack(log, 1, 15, t0, 10 * ms);
  log.on_ack("rec", 16, std::nullopt, t0 + 1500 * ms);
  const auto lines = out.lines();
  ASSERT_EQ(lines.size(), 12u);
  EXPECT_EQ(lines[10], "rec received 5 packets without a line in 1.5 s, up to packet 15: latency p50 2.0 ms, max 2.0 ms");
  EXPECT_EQ(lines[11], "rec received packet 16");
}

TEST(ReceiptLog, ASummaryOfPacketsNoLongerKnownHasNoLatency) {
  captured_log out;
  receipt_log log({receipt_logging::automatic, 10s});
  for (std::uint64_t seq = 1; seq <= 12; ++seq) log.on_ack("rec", seq, std::nullopt, t0);
  log.flush("rec", t0 + 500 * ms);
  EXPECT_EQ(out.lines().back(), "rec received 2 packets without a line in 0.5 s, up to packet 12");
}

TEST(ReceiptLog, AFewReceiptsWithoutALineGetTheirMaximumOnly) {
  captured_log out;
  receipt_log log({receipt_logging::automatic, 10s});
  ack(log, 1, 13, t0, 10 * ms);
  log.flush("rec", t0 + 200 * ms);
  EXPECT_EQ(out.lines().back(), "rec received 3 packets without a line in 0.2 s, up to packet 13: latency max 2.0 ms");
}

TEST(ReceiptLog, AllLogsEveryReceiptAndNoneNothing) {
  captured_log out;
  receipt_log all({receipt_logging::all, 10s});
  receipt_log none({receipt_logging::none, 10s});
  ack(all, 1, 500, t0, 1 * ms);
  ack(none, 1, 500, t0, 1 * ms);
  all.flush("rec", t0 + 1000 * ms);
  none.flush("rec", t0 + 1000 * ms);
  EXPECT_EQ(out.lines().size(), 500u);
}

}  // namespace
}  // namespace arraycast
