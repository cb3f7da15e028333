#include "loadgen/client_summary.hpp"

#include <algorithm>
#include <map>

namespace arraycast {

namespace {

template <typename F>
void for_each_client(const std::vector<std::unique_ptr<load_worker>>& workers, F f) {
  for (const auto& w : workers)
    for (const auto& s : w->stats()) f(s);
}

void count_client(const client_stats& s, bench_report& r) {
  if (s.connect_us >= 0) ++r.connected;
  if (s.failed) ++r.failed;
  if (s.lost) ++r.lost;
  if (s.lost && !s.up) ++r.down_at_end;
  ++r.per_url[s.first_endpoint].started;
  if (s.up) ++r.per_url[s.endpoint].up_at_end;
  if (r.first_error.empty()) r.first_error = s.error;
  r.reconnects += s.reconnects;
  r.packets += s.window_packets;
  r.bytes += s.window_bytes;
  r.missing += s.missing;
  r.duplicates += s.duplicates;
  if (s.missing + s.duplicates > 0) ++r.clients_with_loss;
  if (s.window_packets == 0) ++r.clients_without_packets;
}

// Sorts `v` and returns its median and maximum; zeros when empty.
std::pair<double, double> median_max(std::vector<double>& v) {
  if (v.empty()) return {0, 0};
  std::sort(v.begin(), v.end());
  return {v[v.size() / 2], v.back()};
}

double seconds_between(std::chrono::steady_clock::time_point from, std::chrono::steady_clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

}  // namespace

void summarize_clients(const std::vector<std::unique_ptr<load_worker>>& workers, bench_report& r) {
  std::vector<double> per_client;
  per_client.reserve(r.clients);
  latency_histogram latency;
  latency_histogram connect;
  for (const auto& w : workers) {
    latency.merge(w->tally().latency);
    connect.merge(w->tally().connect);
  }
  for_each_client(workers, [&](const client_stats& s) {
    count_client(s, r);
    per_client.push_back(static_cast<double>(s.window_packets));
  });
  std::sort(per_client.begin(), per_client.end());
  if (!per_client.empty()) r.client_packets = {per_client.front(), per_client[per_client.size() / 2], per_client.back()};
  r.latency = {latency.count(), latency.percentile(0.5), latency.percentile(0.99), latency.percentile(0.999),
               latency.max()};
  r.connect_p50_us = connect.percentile(0.5);
  r.connect_max_us = connect.max();
}

void summarize_storm(const std::vector<std::unique_ptr<load_worker>>& workers,
                     std::chrono::steady_clock::time_point kill, storm_summary& s) {
  std::vector<double> back;
  std::vector<double> caught_up;
  std::map<std::uint64_t, std::uint64_t> epoch_last;  // newest seq any client had of each ended epoch
  for_each_client(workers, [&](const client_stats& c) {
    if (c.connect_us < 0) return;  // never connected: counted as failed, not as a storm casualty
    for (const auto& e : c.ended) epoch_last[e.epoch] = std::max(epoch_last[e.epoch], e.last_seq);
    if (!c.ended.empty()) ++s.resumed_new_epoch;
    if (!c.up || c.welcomed_at <= kill) return void(++s.not_back);
    back.push_back(seconds_between(kill, c.welcomed_at));
    if (c.caught_up_at != std::chrono::steady_clock::time_point{}) caught_up.push_back(seconds_between(kill, c.caught_up_at));
  });
  for_each_client(workers, [&](const client_stats& c) {
    for (const auto& e : c.ended) s.killed_tail += epoch_last[e.epoch] - e.last_seq;
  });
  s.back = back.size();
  s.caught_up = caught_up.size();
  std::tie(s.reconnect_p50_s, s.reconnect_all_s) = median_max(back);
  std::tie(s.caught_up_p50_s, s.caught_up_all_s) = median_max(caught_up);
}

}  // namespace arraycast
