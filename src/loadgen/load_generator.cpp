#include "loadgen/load_generator.hpp"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "loadgen/load_worker.hpp"
#include "loadgen/process_stats.hpp"

namespace arraycast {

using std::chrono::steady_clock;

namespace {

constexpr auto settle_poll = std::chrono::milliseconds(10);

tcp::endpoint resolve(const bench_config& cfg) {
  net::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::error_code ec;
  auto results = resolver.resolve(cfg.host, cfg.port, ec);
  if (ec || results.empty()) throw std::runtime_error(fmt::format("cannot resolve {}: {}", cfg.url, ec.message()));
  return *results.begin();
}

double seconds_since(steady_clock::time_point t) {
  return std::chrono::duration<double>(steady_clock::now() - t).count();
}

// Waits until every client has connected or failed, or the last one had
// its full connect timeout; returns the time that took.
double wait_settled(const std::vector<std::unique_ptr<load_worker>>& workers, const bench_config& cfg,
                    steady_clock::time_point launch) {
  const auto launch_span = std::chrono::duration<double>(static_cast<double>(cfg.clients) / cfg.connect_rate);
  const auto deadline = launch + std::chrono::duration_cast<steady_clock::duration>(launch_span) +
                        cfg.connect_timeout + std::chrono::seconds(1);
  for (;;) {
    std::size_t settled = 0;
    for (const auto& w : workers) settled += w->settled();
    if (settled >= cfg.clients || steady_clock::now() >= deadline) return seconds_since(launch);
    std::this_thread::sleep_for(settle_poll);
  }
}

void count_clients(const std::vector<std::unique_ptr<load_worker>>& workers, bench_report& r) {
  std::vector<double> per_client;
  per_client.reserve(r.clients);
  latency_histogram latency;
  latency_histogram connect;
  for (const auto& w : workers) {
    latency.merge(w->tally().latency);
    connect.merge(w->tally().connect);
    for (const auto& s : w->stats()) {
      if (s.connect_us >= 0) ++r.connected;
      if (s.failed) ++r.failed;
      if (s.lost) ++r.lost;
      if (r.first_error.empty()) r.first_error = s.error;
      r.packets += s.window_packets;
      r.bytes += s.window_bytes;
      r.missing += s.missing;
      r.out_of_order += s.out_of_order;
      if (s.missing + s.out_of_order > 0) ++r.clients_with_loss;
      if (s.window_packets == 0) ++r.clients_without_packets;
      per_client.push_back(static_cast<double>(s.window_packets));
    }
  }
  std::sort(per_client.begin(), per_client.end());
  if (!per_client.empty()) r.client_packets = {per_client.front(), per_client[per_client.size() / 2], per_client.back()};
  r.latency = {latency.count(), latency.percentile(0.5), latency.percentile(0.99), latency.percentile(0.999),
               latency.max()};
  r.connect_p50_us = connect.percentile(0.5);
  r.connect_max_us = connect.max();
}

}  // namespace

bench_report run_load(const bench_config& cfg) {
  const auto server = resolve(cfg);
  bench_report r;
  r.url = cfg.url;
  r.clients = cfg.clients;
  r.threads = cfg.threads;

  // The server's samples: before any client, at the window's start and end.
  process_sample server_before{};
  process_sample server_start{};
  process_sample server_end{};
  bool server_seen = cfg.server_pid.has_value();
  const auto sample_server = [&](process_sample& into) {
    if (!server_seen) return;
    const auto s = sample_process(*cfg.server_pid);
    if (s) into = *s;
    server_seen = s.has_value();
  };
  sample_server(server_before);
  if (cfg.server_pid && !server_seen)
    throw std::runtime_error(fmt::format("cannot read /proc/{}: no such process", *cfg.server_pid));

  std::vector<std::unique_ptr<load_worker>> workers;
  for (unsigned id = 0; id < cfg.threads; ++id) workers.push_back(std::make_unique<load_worker>(cfg, server, id));
  const auto launch = steady_clock::now();
  for (auto& w : workers) w->start(launch);
  r.connect_all_s = wait_settled(workers, cfg, launch);

  for (auto& w : workers) w->begin_window();
  const auto window_start = steady_clock::now();
  const auto self_start = sample_self();
  sample_server(server_start);
  std::this_thread::sleep_for(cfg.duration);
  for (auto& w : workers) w->end_window();
  r.window_s = seconds_since(window_start);
  r.bench_cpu_s = sample_self().cpu_s - self_start.cpu_s;
  sample_server(server_end);

  for (auto& w : workers) w->stop();
  count_clients(workers, r);
  if (server_seen) {
    const auto grown = static_cast<double>(server_end.rss_kib) - static_cast<double>(server_before.rss_kib);
    r.server = server_usage{*cfg.server_pid, server_end.cpu_s - server_start.cpu_s, server_before.rss_kib,
                            server_end.rss_kib, server_end.hwm_kib,
                            r.connected > 0 ? grown * 1024 / static_cast<double>(r.connected) : 0};
  }
  return r;
}

int run_bench(const bench_config& cfg) {
  const auto r = run_load(cfg);
  const auto out = cfg.json ? to_json(r) : to_text(r);
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  return r.connected == r.clients && r.lost == 0 ? 0 : 1;
}

}  // namespace arraycast
