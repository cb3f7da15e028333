#include "server/metrics.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace arraycast {
namespace {

TEST(Metrics, RendersCountersGaugesAndDropReasons) {
  server_metrics m;
  server_metrics::bump(m.packets_generated, 42);
  server_metrics::bump(m.bytes_sent, 1000);
  m.drop(drop_reason::slow);
  m.drop(drop_reason::slow);
  const auto text = render_prometheus(m, stream_snapshot{3, 42, {}});

  EXPECT_NE(text.find("# TYPE arraycast_packets_generated_total counter\narraycast_packets_generated_total 42\n"),
            std::string::npos);
  EXPECT_NE(text.find("arraycast_bytes_sent_total 1000\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE arraycast_clients_connected gauge\narraycast_clients_connected 3\n"), std::string::npos);
  EXPECT_NE(text.find("arraycast_clients_dropped_total{reason=\"slow\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("arraycast_clients_dropped_total{reason=\"too_big\"} 0\n"), std::string::npos);
  EXPECT_EQ(text.back(), '\n');
}

TEST(Metrics, UpgradesRefusedByAddressLimitsAreCountedByReasonNeverByAddress) {
  server_metrics m;
  m.refuse(address_refusal::rate);
  m.refuse(address_refusal::rate);
  m.refuse(address_refusal::per_ip);
  const auto text = render_prometheus(m, stream_snapshot{});
  EXPECT_NE(text.find("# TYPE arraycast_upgrades_refused_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("arraycast_upgrades_refused_total{reason=\"per_ip\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("arraycast_upgrades_refused_total{reason=\"rate\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("arraycast_clients_refused_total 0\n"), std::string::npos) << "the --max-clients name stays";
}

TEST(Metrics, PerClientSeriesAreLabelledAndEscaped) {
  server_metrics m;
  client_info a;
  a.name = "we\"ird\\name\n";
  a.address = "127.0.0.1:5000";
  a.queued = 4;
  a.lag = 7;
  client_info b;
  b.name = "b";
  b.address = "127.0.0.1:5001";
  b.queued = 1;
  const auto text = render_prometheus(m, stream_snapshot{2, 10, {a, b}});

  EXPECT_NE(text.find("arraycast_client_lag_packets{client=\"we\\\"ird\\\\name\\n\",address=\"127.0.0.1\"} 7\n"),
            std::string::npos);
  EXPECT_NE(text.find("arraycast_send_queue_messages 5\n"), std::string::npos);
  EXPECT_NE(text.find("arraycast_client_send_queue_messages{client=\"b\",address=\"127.0.0.1\"} 1\n"),
            std::string::npos);
}

client_info client(std::string name, std::string address, std::uint64_t lag, std::size_t queued = 0) {
  client_info c;
  c.name = std::move(name);
  c.address = std::move(address);
  c.lag = lag;
  c.queued = queued;
  c.last_acked = 100 - lag;
  return c;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// A reconnect comes from a new port: the series must stay the same one.
TEST(Metrics, TheAddressLabelHasNoPortAndConnectionsOfOneClientShareTheirSeries) {
  server_metrics m;
  const auto text = render_prometheus(
      m, stream_snapshot{3, 100, {client("rec", "10.0.0.7:40001", 3, 2), client("rec", "10.0.0.7:40002", 9, 1),
                                  client("rec", "::1:40003", 1), client("other", "::1:40004", 0)}});

  EXPECT_EQ(count(text, "arraycast_client_lag_packets{"), 3u) << text;
  EXPECT_NE(text.find("arraycast_client_lag_packets{client=\"rec\",address=\"10.0.0.7\"} 9\n"), std::string::npos);
  EXPECT_NE(text.find("arraycast_client_send_queue_messages{client=\"rec\",address=\"10.0.0.7\"} 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("arraycast_client_last_acked_seq{client=\"rec\",address=\"10.0.0.7\"} 97\n"),
            std::string::npos);
  EXPECT_NE(text.find("arraycast_client_lag_packets{client=\"other\",address=\"::1\"} 0\n"), std::string::npos);
  EXPECT_EQ(text.find(":4000"), std::string::npos) << text;
}

TEST(Metrics, PerClientSeriesAreBoundedToTheMostLaggingClients) {
  server_metrics m;
  stream_snapshot s{0, 10'000, {}};
  for (std::uint64_t i = 0; i < max_client_series + 50; ++i)
    s.clients.push_back(client(fmt::format("c{}", i), fmt::format("127.0.0.1:{}", 1000 + i), i));
  s.connected = s.clients.size();
  const auto text = render_prometheus(m, s);

  for (const auto* family : {"arraycast_client_lag_packets{", "arraycast_client_send_queue_messages{",
                             "arraycast_client_last_acked_seq{"})
    EXPECT_EQ(count(text, family), max_client_series) << family;
  const auto worst = max_client_series + 49;
  EXPECT_NE(text.find(fmt::format("arraycast_client_lag_packets{{client=\"c{}\",address=\"127.0.0.1\"}} {}\n",
                                  worst, worst)),
            std::string::npos);
  EXPECT_EQ(text.find("arraycast_client_lag_packets{client=\"c0\","), std::string::npos);
  EXPECT_NE(text.find(fmt::format("arraycast_clients_without_series 50\n")), std::string::npos);
}

}  // namespace
}  // namespace arraycast
