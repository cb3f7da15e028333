#include "loadgen/load_worker.hpp"

#include <algorithm>
#include <future>

#include "transport/tls_context.hpp"

namespace arraycast {

namespace {

std::size_t share_of(std::size_t clients, unsigned threads, unsigned id) {
  return clients / threads + (id < clients % threads ? 1 : 0);
}

}  // namespace

load_worker::load_worker(const bench_config& cfg, const std::vector<tcp::endpoint>& servers, unsigned id)
    : cfg_(cfg), servers_(servers), id_(id),
      tls_(std::ranges::any_of(cfg.endpoints, &ws_endpoint::secure) ? make_client_tls(cfg.tls) : nullptr), work_(net::make_work_guard(ioc_)), launch_timer_(ioc_),
      stats_(share_of(cfg.clients, cfg.threads, id)) {
  clients_.reserve(stats_.size());
}

load_worker::~load_worker() {
  if (thread_.joinable()) stop();
}

void load_worker::start(std::chrono::steady_clock::time_point launch) {
  launch_ = launch;
  net::post(ioc_, [this] { do_launch(); });
  thread_ = std::thread([this] { ioc_.run(); });
}

// Starts every client whose time has come, then sleeps until the next one's.
void load_worker::do_launch() {
  const auto now = std::chrono::steady_clock::now();
  const auto due = [this](std::size_t local) {
    const auto seconds = static_cast<double>(global_index(local)) / cfg_.connect_rate;
    return launch_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(seconds));
  };
  while (clients_.size() < stats_.size() && due(clients_.size()) <= now) {
    const auto local = clients_.size();
    clients_.push_back(std::make_shared<load_client>(ioc_, cfg_, servers_, global_index(local), stats_[local], tally_, tls_));
    clients_.back()->start();
  }
  if (clients_.size() == stats_.size()) return;
  launch_timer_.expires_at(due(clients_.size()));
  launch_timer_.async_wait([this](beast::error_code ec) { on_launch(ec); });
}

void load_worker::on_launch(beast::error_code ec) {
  if (ec) return;  // stopped
  do_launch();
}

template <typename F>
void load_worker::run_here(F f) {
  std::promise<void> done;
  net::post(ioc_, [&] {
    f();
    done.set_value();
  });
  done.get_future().wait();
}

void load_worker::begin_window() {
  run_here([this] { tally_.measuring = true; });
}

void load_worker::end_window() {
  run_here([this] { tally_.measuring = false; });
}

void load_worker::stop() {
  run_here([this] {
    launch_timer_.cancel();
    for (auto& c : clients_) c->stop();
    work_.reset();
  });
  thread_.join();
}

}  // namespace arraycast
