#include "server/hub.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <utility>
#include <vector>

#include "server/ws_session.hpp"

namespace arraycast {

hub::hub(protocol::welcome base, std::size_t max_clients, std::vector<net::io_context*> loops)
    : base_(base), max_clients_(max_clients), history_(base.history) {
  for (auto* loop : loops) shards_.push_back(std::make_unique<shard>(shard{loop, {}}));
}

bool hub::try_admit() {
  auto n = admitted_.load();
  do {
    if (n >= max_clients_) return false;
  } while (!admitted_.compare_exchange_weak(n, n + 1));
  return true;
}

void hub::join(const std::shared_ptr<ws_session>& s) {
  std::lock_guard lock(mutex_);
  sessions_[s.get()] = entry{s, &s->loop(), s->stats(), history_.head()};
}

void hub::leave(const ws_session* s) {
  {
    std::lock_guard lock(mutex_);
    sessions_.erase(s);
  }
  --admitted_;
}

protocol::welcome hub::welcome() const {
  std::lock_guard lock(mutex_);
  auto w = base_;
  w.head = history_.head();
  return w;
}

void hub::describe(const protocol::stream_info& info) {
  std::lock_guard lock(mutex_);
  base_.stream = info;
}

resume_plan hub::subscribe(const std::shared_ptr<ws_session>& s, const protocol::hello& h) {
  auto plan = plan_for(s, h);
  // What the history no longer holds, an archive may still have.
  if (archive_ != nullptr && !plan.gaps.empty() && plan.gaps.back().reason == history::gone) {
    plan.archived = std::move(plan.gaps.back());
    plan.gaps.pop_back();
  }
  return plan;
}

resume_plan hub::plan_for(const std::shared_ptr<ws_session>& s, const protocol::hello& h) {
  // On s's loop thread, so no delivery to this shard can run until we return:
  // frames pushed before the lock below are in the plan (and filtered by
  // first_live if also posted), frames pushed after it reach s live.
  shard_of(*s).live.push_back(s);
  std::lock_guard lock(mutex_);
  auto& e = sessions_[s.get()] = entry{s, &s->loop(), s->stats(), history_.head()};
  if (!h.epoch) return history_.resume_from(history_.head());  // a fresh client starts live
  if (*h.epoch == base_.epoch) {
    e.joined_at = std::min(*h.last_seq, history_.head());
    return history_.resume_from(*h.last_seq);
  }
  e.joined_at = 0;
  // The client's epoch is over: all of it after last_seq is lost, and all of
  // this epoch that history still holds is replayed.
  auto plan = history_.resume_from(0);
  // At the largest seq, nothing of that epoch can have followed.
  if (*h.last_seq < std::numeric_limits<std::uint64_t>::max())
    plan.gaps.insert(plan.gaps.begin(), protocol::gap{*h.last_seq + 1, std::nullopt, "new epoch"});
  return plan;
}

hub::shard& hub::shard_of(ws_session& s) {
  for (auto& sh : shards_)
    if (sh->loop == &s.loop()) return *sh;
  throw std::logic_error("hub: session on a loop the hub does not know");
}

void hub::deliver(shard& sh, const frame_ptr& f) {
  auto& live = sh.live;
  for (std::size_t i = 0; i < live.size();) {
    if (auto s = live[i].lock()) {
      s->deliver(f);
      ++i;
    } else {
      live[i] = std::move(live.back());
      live.pop_back();
    }
  }
}

void hub::broadcast(const frame_ptr& f) {
  server_metrics::bump(metrics_.packets_generated);
  {
    std::lock_guard lock(mutex_);
    history_.push(f);
  }
  if (!f->is_gap()) stamps_.push(f->seq, {f->ts, f->arrays});
  for (auto& sh : shards_) net::post(*sh->loop, [s = sh.get(), f] { deliver(*s, f); });
}

// Each session is locked on its own loop, so that if this drops the last
// reference, the session is destroyed there too.
void hub::close_all(std::uint16_t code, const std::string& reason) {
  std::lock_guard lock(mutex_);
  for (const auto& [_, e] : sessions_)
    net::post(*e.loop, [w = e.session, code, reason] {
      if (auto s = w.lock()) s->close(code, reason);
    });
}

stream_snapshot hub::snapshot() const {
  std::vector<std::pair<std::shared_ptr<const session_stats>, std::uint64_t>> all;
  stream_snapshot snap;
  {
    std::lock_guard lock(mutex_);
    snap.head = history_.head();
    all.reserve(sessions_.size());
    for (const auto& [_, e] : sessions_) all.emplace_back(e.stats, e.joined_at);
  }
  snap.connected = clients();
  snap.clients.reserve(all.size());
  for (const auto& [stats, joined_at] : all) {
    auto info = stats->info();
    const auto position = std::max(info.last_acked, joined_at);
    info.lag = snap.head > position ? snap.head - position : 0;
    snap.clients.push_back(std::move(info));
  }
  std::sort(snap.clients.begin(), snap.clients.end(),
            [](const client_info& a, const client_info& b) { return a.connected_since < b.connected_since; });
  return snap;
}

}  // namespace arraycast
