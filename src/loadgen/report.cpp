#include "loadgen/report.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

namespace arraycast {

namespace json = boost::json;

namespace {

// CPU nanoseconds per received packet; 0 when nothing was received.
double ns_per_packet(double cpu_s, std::uint64_t packets) {
  return packets > 0 ? cpu_s * 1e9 / static_cast<double>(packets) : 0;
}

json::object spread_json(const spread& s) { return {{"min", s.min}, {"p50", s.p50}, {"max", s.max}}; }

json::object storm_json(const storm_summary& s) {
  return {{"kill_at_s", s.kill_at_s}, {"listening_s", s.listening_s}, {"back", s.back}, {"not_back", s.not_back},
          {"caught_up", s.caught_up}, {"resumed_new_epoch", s.resumed_new_epoch}, {"reconnect_p50_s", s.reconnect_p50_s}, {"reconnect_all_s", s.reconnect_all_s},
          {"caught_up_p50_s", s.caught_up_p50_s}, {"caught_up_all_s", s.caught_up_all_s},
          {"killed_tail", s.killed_tail}};
}

json::array per_url_json(const std::vector<url_share>& shares) {
  json::array a;
  for (const auto& s : shares) a.push_back(json::object{{"url", s.url}, {"started", s.started}, {"up_at_end", s.up_at_end}});
  return a;
}

// One line, only with several --url: with one it would repeat the connections line.
std::string per_url_text(const std::vector<url_share>& shares) {
  if (shares.size() < 2) return {};
  std::string out = "  per URL     ";
  for (const auto& s : shares) out += fmt::format(" {}: {} started, {} up at the end;", s.url, s.started, s.up_at_end);
  out.back() = '\n';
  return out;
}

std::string storm_text(const storm_summary& s, std::size_t clients) {
  return fmt::format("  storm        server killed at {:.2f} s, listening again {:.3f} s later; {} of {} back "
                     "(p50 {:.3f} s, all {:.3f} s), {} resumed into the new epoch, {} caught up (p50 {:.3f} s, all {:.3f} s); "
                     "{} packets of the killed epoch reached some clients but not others\n",
                     s.kill_at_s, s.listening_s, s.back, clients, s.reconnect_p50_s, s.reconnect_all_s,
                     s.resumed_new_epoch, s.caught_up, s.caught_up_p50_s, s.caught_up_all_s, s.killed_tail);
}

}  // namespace

std::string to_json(const bench_report& r) {
  json::object o{
      {"url", r.url}, {"per_url", per_url_json(r.per_url)}, {"clients", r.clients}, {"threads", r.threads}, {"window_s", r.window_s},
      {"connected", r.connected}, {"failed", r.failed}, {"lost", r.lost}, {"down_at_end", r.down_at_end},
      {"reconnects", r.reconnects}, {"first_error", r.first_error},
      {"connect", {{"all_s", r.connect_all_s}, {"p50_us", r.connect_p50_us}, {"max_us", r.connect_max_us}}},
      {"packets", r.packets}, {"bytes", r.bytes},
      {"packets_per_s", r.packets_per_s()}, {"bytes_per_s", r.bytes_per_s()},
      {"per_client", {{"packets", spread_json(r.client_packets)},
                      {"packets_per_s", spread_json({r.client_packets.min / r.window_s, r.client_packets.p50 / r.window_s,
                                                     r.client_packets.max / r.window_s})},
                      {"without_packets", r.clients_without_packets}}},
      {"missing", r.missing}, {"duplicates", r.duplicates}, {"clients_with_loss", r.clients_with_loss},
      {"latency_us", {{"count", r.latency.count}, {"p50", r.latency.p50_us}, {"p99", r.latency.p99_us},
                      {"p999", r.latency.p999_us}, {"max", r.latency.max_us}}},
      {"bench_cpu_s", r.bench_cpu_s},
      {"bench_cpu_ns_per_packet", ns_per_packet(r.bench_cpu_s, r.packets)}};
  if (r.server) {
    const auto& s = *r.server;
    o["server"] = json::object{
        {"pid", s.pid}, {"spawned", s.spawned}, {"cpu_s", s.cpu_s}, {"cpu_ns_per_packet", ns_per_packet(s.cpu_s, r.packets)},
        {"rss_before_kib", s.rss_before_kib}, {"rss_kib", s.rss_kib}, {"hwm_kib", s.hwm_kib},
        {"rss_per_client_bytes", s.rss_per_client_bytes}};
  }
  if (r.storm) o["storm"] = storm_json(*r.storm);
  return json::serialize(o) + "\n";
}

std::string to_text(const bench_report& r) {
  auto out = fmt::format("arraycast bench: {} clients on {} threads against {}, {:.2f} s window\n", r.clients,
                         r.threads, r.url, r.window_s);
  out += fmt::format("  connections  {} connected, {} failed, {} lost ({} reconnections, {} down at the end); "
                     "all settled in {:.2f} s; connect p50 {:.2f} ms, max {:.2f} ms\n",
                     r.connected, r.failed, r.lost, r.reconnects, r.down_at_end, r.connect_all_s, static_cast<double>(r.connect_p50_us) / 1e3,
                     static_cast<double>(r.connect_max_us) / 1e3);
  out += per_url_text(r.per_url);
  if (!r.first_error.empty()) out += fmt::format("  first error  {}\n", r.first_error);
  out += fmt::format("  received     {} packets ({:.0f}/s), {:.1f} MB ({:.1f} MB/s)\n", r.packets, r.packets_per_s(),
                     static_cast<double>(r.bytes) / 1e6, r.bytes_per_s() / 1e6);
  out += fmt::format("  per client   {:.1f} / {:.1f} / {:.1f} packets/s (min / median / max); {} received none\n",
                     r.client_packets.min / r.window_s, r.client_packets.p50 / r.window_s,
                     r.client_packets.max / r.window_s, r.clients_without_packets);
  out += fmt::format("  integrity    {} missing, {} duplicates, {} clients affected\n", r.missing, r.duplicates,
                     r.clients_with_loss);
  out += fmt::format("  latency      p50 {:.2f} ms, p99 {:.2f} ms, p99.9 {:.2f} ms, max {:.2f} ms ({} samples)\n",
                     static_cast<double>(r.latency.p50_us) / 1e3, static_cast<double>(r.latency.p99_us) / 1e3,
                     static_cast<double>(r.latency.p999_us) / 1e3, static_cast<double>(r.latency.max_us) / 1e3,
                     r.latency.count);
  out += fmt::format("  bench CPU    {:.2f} s ({:.0f} ns per packet)\n", r.bench_cpu_s,
                     ns_per_packet(r.bench_cpu_s, r.packets));
  if (r.server) {
    const auto& s = *r.server;
    out += fmt::format("  server CPU   {:.2f} s ({:.0f} ns per packet delivered)\n", s.cpu_s,
                       ns_per_packet(s.cpu_s, r.packets));
    out += fmt::format("  server RSS   {:.1f} MiB steady (end of window), {:.1f} MiB peak, {:.1f} MiB before; "
                       "{:.0f} bytes per client\n",
                       static_cast<double>(s.rss_kib) / 1024, static_cast<double>(s.hwm_kib) / 1024,
                       static_cast<double>(s.rss_before_kib) / 1024, s.rss_per_client_bytes);
  }
  if (r.storm) out += storm_text(*r.storm, r.clients);
  return out;
}

}  // namespace arraycast
