#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "loadgen/bench_config.hpp"
#include "loadgen/client_stats.hpp"
#include "loadgen/load_client.hpp"
#include "util/net.hpp"

namespace arraycast {

// One thread of the load generator: its own io_context (no strands, no
// locks), the clients i ≡ id (mod threads), and their tally. The composition
// root talks to it only through the methods below, which post to its loop.
class load_worker {
public:
  // `servers`: cfg.endpoints resolved, in the same order.
  load_worker(const bench_config& cfg, const std::vector<tcp::endpoint>& servers, unsigned id);
  ~load_worker();

  // Starts the thread; client i starts connecting at launch + i / connect_rate.
  void start(std::chrono::steady_clock::time_point launch);
  std::size_t settled() const { return tally_.settled.load(); }
  std::size_t clients() const { return stats_.size(); }

  // Run on the worker's thread; return once done there.
  void begin_window();
  void end_window();
  // Drops every connection and joins the thread.
  void stop();

  // Valid after stop().
  const std::vector<client_stats>& stats() const { return stats_; }
  const worker_tally& tally() const { return tally_; }

private:
  std::size_t global_index(std::size_t local) const { return id_ + local * cfg_.threads; }
  void do_launch();
  void on_launch(beast::error_code ec);
  template <typename F> void run_here(F f);

  const bench_config& cfg_;
  const std::vector<tcp::endpoint>& servers_;
  const unsigned id_;
  std::shared_ptr<net::ssl::context> tls_;  // for wss:// URLs: one per worker, shared by its clients
  net::io_context ioc_{1};
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
  net::steady_timer launch_timer_;
  std::chrono::steady_clock::time_point launch_;
  // Worker thread only, until the thread is joined.
  std::vector<client_stats> stats_;          // sized once: clients hold references into it
  std::vector<std::shared_ptr<load_client>> clients_;
  worker_tally tally_;
  std::thread thread_;
};

}  // namespace arraycast
