#include "loadgen/load_generator.hpp"

#include <cstdio>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "loadgen/client_summary.hpp"
#include "loadgen/load_worker.hpp"
#include "loadgen/process_stats.hpp"
#include "loadgen/spawned_server.hpp"

namespace arraycast {

using std::chrono::steady_clock;

namespace {

constexpr auto settle_poll = std::chrono::milliseconds(10);

// Once, before any client: the clients connect to addresses, not names.
std::vector<tcp::endpoint> resolve(const endpoint_list& endpoints) {
  net::io_context ioc;
  tcp::resolver resolver(ioc);
  std::vector<tcp::endpoint> servers;
  for (const auto& e : endpoints) {
    beast::error_code ec;
    auto results = resolver.resolve(e.host, e.port, ec);
    if (ec || results.empty()) throw std::runtime_error(fmt::format("cannot resolve {}: {}", e.url, ec.message()));
    servers.push_back(*results.begin());
  }
  return servers;
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

// The server's CPU and memory from /proc, across a respawn: CPU adds up over
// both processes' share of the window, memory is the current process's.
class server_watch {
public:
  explicit server_watch(std::optional<int> pid) : pid_(pid) {
    if (pid_ && !sample(before_))
      throw std::runtime_error(fmt::format("cannot read /proc/{}: no such process", *pid_));
  }
  void window_start() { sample(start_); }
  // The process is about to be replaced by `next` (already running).
  void before_kill() {
    process_sample last{};
    if (!sample(last)) return;
    cpu_s_ += last.cpu_s - start_.cpu_s;
    hwm_kib_ = last.hwm_kib;
  }
  void replaced_by(int next) {
    pid_ = next;
    start_ = {};  // the new process's CPU counts from its birth: its start-up is part of the storm
  }
  // While the clients are still connected: steady memory is with them.
  void window_end() { ended_ = sample(end_); }
  std::optional<server_usage> usage(bool spawned, std::size_t connected) const {
    if (!ended_) return std::nullopt;
    const auto grown = static_cast<double>(end_.rss_kib) - static_cast<double>(before_.rss_kib);
    return server_usage{*pid_, spawned, cpu_s_ + end_.cpu_s - start_.cpu_s, before_.rss_kib, end_.rss_kib,
                        std::max(hwm_kib_, end_.hwm_kib),
                        connected > 0 ? grown * 1024 / static_cast<double>(connected) : 0};
  }

private:
  bool sample(process_sample& into) {
    if (!pid_) return false;
    const auto s = sample_process(*pid_);
    if (s) into = *s;
    return s.has_value();
  }

  std::optional<int> pid_;
  process_sample before_{};  // before any client
  process_sample start_{};   // at the window's start, or the respawn's birth
  process_sample end_{};
  bool ended_ = false;
  double cpu_s_ = 0;         // of processes already killed, within the window
  std::uint64_t hwm_kib_ = 0;
};

// The storm: SIGKILL the spawned server, respawn it with the same command
// and wait until it listens. Fills what the composition root knows of it.
steady_clock::time_point do_storm(spawned_server& spawned, server_watch& watch, storm_summary& s) {
  watch.before_kill();
  const auto kill = steady_clock::now();
  spawned.kill();
  spawned.start();
  s.listening_s = seconds_since(kill);
  watch.replaced_by(spawned.pid());
  return kill;
}

}  // namespace

bench_report run_load(const bench_config& cfg) {
  const auto servers = resolve(cfg.endpoints);
  std::optional<spawned_server> spawned;  // stopped by its destructor, also when we throw
  if (!cfg.spawn.empty()) spawned.emplace(cfg, servers.front()).start();  // the CLI allows one --url with it
  server_watch watch(spawned ? std::optional<int>(spawned->pid()) : cfg.server_pid);
  bench_report r;
  r.url = describe(cfg.endpoints);
  for (const auto& e : cfg.endpoints) r.per_url.push_back({e.url});
  r.clients = cfg.clients;
  r.threads = cfg.threads;

  std::vector<std::unique_ptr<load_worker>> workers;
  for (unsigned id = 0; id < cfg.threads; ++id) workers.push_back(std::make_unique<load_worker>(cfg, servers, id));
  const auto launch = steady_clock::now();
  for (auto& w : workers) w->start(launch);
  r.connect_all_s = wait_settled(workers, cfg, launch);

  for (auto& w : workers) w->begin_window();
  const auto window_start = steady_clock::now();
  const auto self_start = sample_self();
  watch.window_start();
  std::optional<steady_clock::time_point> kill;
  if (spawned && cfg.kill_after.count() > 0) {
    std::this_thread::sleep_until(window_start + cfg.kill_after);
    r.storm.emplace().kill_at_s = seconds_since(window_start);
    kill = do_storm(*spawned, watch, *r.storm);
  }
  std::this_thread::sleep_until(window_start + cfg.duration);
  for (auto& w : workers) w->end_window();
  r.window_s = seconds_since(window_start);
  r.bench_cpu_s = sample_self().cpu_s - self_start.cpu_s;
  watch.window_end();
  for (auto& w : workers) w->stop();
  summarize_clients(workers, r);
  r.server = watch.usage(spawned.has_value(), r.connected);
  if (kill) summarize_storm(workers, *kill, *r.storm);
  return r;
}

int run_bench(const bench_config& cfg) {
  const auto r = run_load(cfg);
  const auto out = cfg.json ? to_json(r) : to_text(r);
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  const bool all_connected = r.connected == r.clients;
  if (r.storm) return all_connected && r.storm->not_back == 0 && r.storm->caught_up == r.connected ? 0 : 1;
  return all_connected && r.lost == 0 ? 0 : 1;
}

}  // namespace arraycast
