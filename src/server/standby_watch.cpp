#include "server/standby_watch.hpp"

#include <stdexcept>

#include <spdlog/spdlog.h>

namespace arraycast {

standby_watch::standby_watch(nats_link& link, broker_producer& producer, bool standby,
                             std::function<void()> taken_over)
    : link_(link), producer_(producer), taken_over_(std::move(taken_over)), last_heard_(clock::now().time_since_epoch().count()) {
  const auto subject = link_.config().alive_subject();
  const auto s = natsConnection_Subscribe(&sub_, link_.connection(), subject.c_str(), &standby_watch::heard, this);
  if (s != NATS_OK) throw std::runtime_error("cannot listen for the producer's heartbeats: " + nats_error(s));
  if (!standby) take_over();
  else spdlog::info("standing by: producing once stream {} has no producer for {} ms", link_.config().stream,
                    std::chrono::duration_cast<std::chrono::milliseconds>(link_.config().takeover_after).count());
  watch_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

standby_watch::~standby_watch() {
  watch_.request_stop();
  if (watch_.joinable()) watch_.join();
  natsSubscription_Unsubscribe(sub_);
  natsSubscription_Destroy(sub_);
}

void standby_watch::heard(natsConnection*, natsSubscription*, natsMsg* msg, void* self) {
  auto* watch = static_cast<standby_watch*>(self);
  const std::string_view sender(natsMsg_GetData(msg), static_cast<std::size_t>(natsMsg_GetDataLength(msg)));
  if (!watch->producer_.is_self(sender)) watch->last_heard_ = clock::now().time_since_epoch().count();
  natsMsg_Destroy(msg);
}

void standby_watch::run(std::stop_token stop) {
  while (!stop.stop_requested()) {
    std::this_thread::sleep_for(check_every);
    if (!producer_.active() && producer_silent()) take_over();
  }
}

// Silence only counts while the broker is reachable: after an outage the
// producer gets takeover_after to be heard again.
bool standby_watch::producer_silent() {
  const auto now = clock::now();
  if (!link_.connected() || link_.reconnections() != reconnections_) {
    reconnections_ = link_.reconnections();
    last_heard_ = now.time_since_epoch().count();
    return false;
  }
  return now - clock::time_point(clock::duration(last_heard_.load())) >= link_.config().takeover_after;
}

void standby_watch::take_over() {
  try {
    producer_.activate(link_.last_seq());
  } catch (const std::exception& e) {
    return spdlog::warn("cannot take stream {} over yet: {}", link_.config().stream, e.what());
  }
  if (taken_over_) taken_over_();
}

}  // namespace arraycast
