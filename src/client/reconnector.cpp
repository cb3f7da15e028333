#include "client/reconnector.hpp"

#include <utility>

#include <spdlog/spdlog.h>

#include "client/ws_client.hpp"
#include "core/clock.hpp"
#include "recorder/recorder.hpp"

namespace arraycast {

reconnector::reconnector(net::any_io_executor ex, const record_config& config, recorder& rec)
    : ex_(ex), config_(config), rec_(rec),
      failover_(config.endpoints.size(), 0, backoff(config.backoff_initial, config.backoff_max, uniform_jitter())),
      timer_(ex) {}

reconnector::~reconnector() = default;

net::awaitable<int> reconnector::run() {
  unsigned failures = 0;
  for (;;) {
    const auto started = std::chrono::steady_clock::now();
    const auto& url = config_.endpoints[failover_.current()].url;
    const auto end = co_await attempt();
    if (end.connected) rec_.on_disconnected(stopping_ ? "recorder stopped" : end.reason, now_us());
    if (stopping_) co_return 0;
    spdlog::warn("{} {}: {}", end.connected ? "lost connection to" : "cannot connect to", url, end.reason);
    if (!end.retry) {
      spdlog::error("the server asked not to reconnect; exiting");
      co_return 1;
    }
    // A connection that held for a while proves the server is back: start the backoff over.
    if (end.connected && std::chrono::steady_clock::now() - started > config_.backoff_max) {
      failover_.reset();
      failures = 0;
    }
    if (config_.max_retries && failures >= *config_.max_retries) {
      spdlog::error("giving up on {} after {} attempts (--max-retries {})", describe(config_.endpoints), failures + 1,
                    failures);
      co_return 1;
    }
    ++failures;
    const auto delay = failover_.next(end.connected);
    spdlog::info("reconnecting in {} ms (attempt {}), to {}", delay.count(), failures,
                 config_.endpoints[failover_.current()].url);
    timer_.expires_after(delay);
    boost::system::error_code ec;
    co_await timer_.async_wait(net::redirect_error(net::use_awaitable, ec));
    if (stopping_) co_return 0;
  }
}

// One connection, gone (with its timers) before the next step of run().
net::awaitable<connection_end> reconnector::attempt() {
  const auto client = std::make_shared<ws_client>(ex_, config_, config_.endpoints[failover_.current()], rec_);
  current_ = client.get();
  auto end = co_await client->run();
  current_ = nullptr;
  co_return end;
}

void reconnector::stop() {
  const bool again = std::exchange(stopping_, true);
  timer_.cancel();
  if (current_ == nullptr) return;
  if (again) return current_->abort();
  current_->close();
}

}  // namespace arraycast
