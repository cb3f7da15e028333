#include "server/metrics.hpp"

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

  EXPECT_NE(text.find("arraycast_client_lag_packets{client=\"we\\\"ird\\\\name\\n\",address=\"127.0.0.1:5000\"} 7\n"),
            std::string::npos);
  EXPECT_NE(text.find("arraycast_send_queue_messages 5\n"), std::string::npos);
  EXPECT_NE(text.find("arraycast_client_send_queue_messages{client=\"b\",address=\"127.0.0.1:5001\"} 1\n"),
            std::string::npos);
}

}  // namespace
}  // namespace arraycast
