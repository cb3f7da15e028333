#include "server/broker_node.hpp"

#include <spdlog/spdlog.h>

namespace arraycast {

broker_node::broker_node(const broker_config& cfg) : link_(cfg), facts_(link_.join_stream()) {
  spdlog::info("joined stream {} on {}: epoch {}, newest seq {}", cfg.stream, cfg.url, facts_.epoch, facts_.last_seq);
}

void broker_node::follow(hub& clients, std::size_t history) {
  metrics_ = &clients.metrics();
  metrics_->broker.enabled = true;
  metrics_->broker.connected = link_.connected();
  metrics_->broker.stream_last_seq = facts_.last_seq;
  link_.on_state([this](bool up) { metrics_->broker.connected = up; });
  archive_ = std::make_unique<broker_archive>(link_, metrics_->broker);
  clients.set_archive(archive_.get());
  const auto start_after = facts_.last_seq > history ? facts_.last_seq - history : 0;
  follower_ = std::make_unique<broker_follower>(
      link_, metrics_->broker, start_after, [&clients](const frame_ptr& f) { clients.broadcast(f); },
      [&clients](const protocol::stream_info& info) { clients.describe(info); });
}

void broker_node::produce(packet_source& source, net::io_context& ioc, bool standby) {
  producer_ = std::make_unique<broker_producer>(link_, ioc, *metrics_, source.describe());
  auto started = std::make_shared<std::atomic<bool>>(false);
  watch_ = std::make_unique<standby_watch>(link_, *producer_, standby, [this, &source, &ioc, started] {
    if (!started->exchange(true)) net::post(ioc, [this, &source] { source.start(*producer_); });
  });
}

void broker_node::stop() {
  watch_.reset();
  producer_.reset();
  archive_.reset();
  follower_.reset();
}

}  // namespace arraycast
