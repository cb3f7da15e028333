#include "server/metrics.hpp"

#include <algorithm>
#include <iterator>
#include <map>
#include <utility>

#include <fmt/format.h>

#include "util/log.hpp"

namespace arraycast {

namespace {

std::uint64_t read(const std::atomic<std::uint64_t>& c) { return c.load(std::memory_order_relaxed); }

// Label values escape backslash, double quote and newline (exposition format).
std::string escape_label(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

class exposition {
public:
  void family(std::string_view name, std::string_view type, std::string_view help) {
    fmt::format_to(std::back_inserter(text_), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  }
  void sample(std::string_view name, std::uint64_t value, std::string_view labels = {}) {
    if (labels.empty()) fmt::format_to(std::back_inserter(text_), "{} {}\n", name, value);
    else fmt::format_to(std::back_inserter(text_), "{}{{{}}} {}\n", name, labels, value);
  }
  void single(std::string_view name, std::string_view type, std::string_view help, std::uint64_t value) {
    family(name, type, help);
    sample(name, value);
  }
  std::string take() { return std::move(text_); }

private:
  std::string text_;
};

// One per-client series set: a client's name and IP. Not its port, which
// is new on every reconnect and would start new series each time.
struct client_series {
  std::string labels;
  std::uint64_t lag = 0;         // the worst of its connections
  std::uint64_t last_acked = 0;  // the furthest
  std::size_t queued = 0;        // all of them
};

// client_info::address is "ip:port" (an IPv6 address unbracketed).
std::string_view ip_of(std::string_view address) { return address.substr(0, address.rfind(':')); }

// Connections that share name and IP fold into one series; the
// max_client_series with the most lag are kept, so a scrape stays small.
std::vector<client_series> client_series_of(const std::vector<client_info>& clients) {
  std::map<std::pair<std::string_view, std::string_view>, client_series> by_client;
  for (const auto& c : clients) {
    auto& s = by_client[{c.name, ip_of(c.address)}];
    s.lag = std::max(s.lag, c.lag);
    s.last_acked = std::max(s.last_acked, c.last_acked);
    s.queued += c.queued;
  }
  std::vector<client_series> series;
  series.reserve(by_client.size());
  for (auto& [key, s] : by_client) {
    s.labels = fmt::format("client=\"{}\",address=\"{}\"", escape_label(key.first), escape_label(key.second));
    series.push_back(std::move(s));
  }
  std::stable_sort(series.begin(), series.end(), [](const auto& a, const auto& b) { return a.lag > b.lag; });
  return series;
}

void render_clients(exposition& out, const stream_snapshot& s) {
  auto series = client_series_of(s.clients);
  const auto shown = std::min(series.size(), max_client_series);
  out.single("arraycast_clients_without_series", "gauge",
             "Clients without per-client series: only the ones with the most lag get them.", series.size() - shown);
  series.resize(shown);
  out.family("arraycast_client_send_queue_messages", "gauge", "Messages waiting in one client's send queue.");
  for (const auto& c : series) out.sample("arraycast_client_send_queue_messages", c.queued, c.labels);
  out.family("arraycast_client_lag_packets", "gauge",
             "Packets generated since the client joined that it has not acked yet.");
  for (const auto& c : series) out.sample("arraycast_client_lag_packets", c.lag, c.labels);
  out.family("arraycast_client_last_acked_seq", "gauge", "Highest seq the client acked.");
  for (const auto& c : series) out.sample("arraycast_client_last_acked_seq", c.last_acked, c.labels);
}

void render_broker(exposition& out, const broker_metrics& b, std::uint64_t head) {
  const auto last = read(b.stream_last_seq);
  out.single("arraycast_broker_connected", "gauge", "1 while the node is connected to the broker, else 0.",
             b.connected.load() ? 1 : 0);
  out.single("arraycast_broker_producing", "gauge", "1 while this node is the stream's active producer, else 0.",
             b.producing.load() ? 1 : 0);
  out.single("arraycast_broker_stream_last_seq", "gauge", "The broker stream's newest seq, as last heard.", last);
  out.single("arraycast_broker_lag_packets", "gauge", "Packets the broker holds that this node has not sent on yet.",
             last > head ? last - head : 0);
  out.single("arraycast_broker_published_total", "counter", "Packets this node put into the broker's stream.",
             read(b.published));
  out.single("arraycast_broker_dropped_total", "counter",
             "Source packets this node could not put into the stream (standing by, or its backlog full).",
             read(b.dropped));
  out.single("arraycast_broker_replayed_total", "counter",
             "Frames read back from the broker for clients resuming beyond the node's history.", read(b.replayed));
  out.single("arraycast_broker_rejected_total", "counter",
             "Messages in the broker's stream that were not packets, sent on as gaps.", read(b.rejected));
}

}  // namespace

std::string render_prometheus(const server_metrics& m, const stream_snapshot& s) {
  exposition out;
  out.single("arraycast_clients_connected", "gauge", "WebSocket clients connected now.", s.connected);
  out.single("arraycast_stream_head_seq", "gauge", "Seq of the newest packet of this epoch.", s.head);
  out.single("arraycast_packets_generated_total", "counter", "Packets generated and handed to the hub.",
             read(m.packets_generated));
  out.single("arraycast_messages_sent_total", "counter", "WebSocket messages written to clients, all types.",
             read(m.messages_sent));
  out.single("arraycast_bytes_sent_total", "counter", "Payload bytes of those messages.", read(m.bytes_sent));
  out.single("arraycast_acks_received_total", "counter", "Acks received from clients.", read(m.acks_received));
  out.single("arraycast_bad_messages_total", "counter", "Client messages rejected with an error.",
             read(m.bad_messages));
  out.single("arraycast_connections_total", "counter", "WebSocket handshakes completed.", read(m.connections));
  out.single("arraycast_clients_refused_total", "counter", "Upgrades refused because --max-clients was reached.",
             read(m.refused));
  out.single("arraycast_connections_open", "gauge",
             "TCP connections held now: plain HTTP, handshakes, /echo and clients.", read(m.connections_open));
  out.single("arraycast_connections_refused_total", "counter",
             "Connections closed unread because --max-connections was reached.", read(m.connections_refused));
  out.single("arraycast_log_lines_dropped_total", "counter",
             "Log lines dropped because the log's reader fell behind and its queue was full.", log_lines_dropped());

  out.family("arraycast_clients_dropped_total", "counter", "Clients the server disconnected, by reason.");
  for (std::size_t i = 0; i < drop_reason_names.size(); ++i)
    out.sample("arraycast_clients_dropped_total", read(m.dropped[i]),
               fmt::format("reason=\"{}\"", drop_reason_names[i]));

  // Per reason, never per address: addresses are unbounded, series must not be.
  out.family("arraycast_upgrades_refused_total", "counter",
             "WebSocket upgrades refused by a limit on the client's address (--max-clients-per-ip, "
             "--handshake-rate), by reason.");
  for (std::size_t i = 0; i < address_refusal_names.size(); ++i)
    out.sample("arraycast_upgrades_refused_total", read(m.refused_by_address[i]),
               fmt::format("reason=\"{}\"", address_refusal_names[i]));

  out.family("arraycast_source_rejected_total", "counter", "Source inputs that were not packets, by reason.");
  for (std::size_t i = 0; i < reject_reason_names.size(); ++i)
    out.sample("arraycast_source_rejected_total", read(m.rejected[i]),
               fmt::format("reason=\"{}\"", reject_reason_names[i]));
  out.single("arraycast_source_ended", "gauge", "1 once the source has ended (EOF), else 0.",
             m.source_ended.load() ? 1 : 0);
  out.single("arraycast_source_lost_total", "counter",
             "Packets lost before they reached the server (datagrams the kernel dropped), announced as gaps.",
             read(m.source_lost));

  if (m.broker.enabled.load()) render_broker(out, m.broker, s.head);

  std::size_t queued = 0;
  for (const auto& c : s.clients) queued += c.queued;
  out.single("arraycast_send_queue_messages", "gauge", "Messages waiting in all send queues.", queued);

  render_clients(out, s);
  return out.take();
}

}  // namespace arraycast
