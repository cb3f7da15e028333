#include "server/loop_pool.hpp"

#include <thread>

namespace arraycast {

loop_pool::loop_pool(unsigned count) {
  for (unsigned i = 0; i < count; ++i) {
    loops_.push_back(std::make_unique<net::io_context>(1));
    guards_.push_back(net::make_work_guard(*loops_.back()));
  }
}

std::vector<net::io_context*> loop_pool::contexts() {
  std::vector<net::io_context*> all;
  for (auto& l : loops_) all.push_back(l.get());
  return all;
}

net::io_context& loop_pool::next() {
  auto& loop = *loops_[next_];
  next_ = (next_ + 1) % loops_.size();
  return loop;
}

void loop_pool::run() {
  std::vector<std::jthread> threads;
  for (std::size_t i = 1; i < loops_.size(); ++i) threads.emplace_back([loop = loops_[i].get()] { loop->run(); });
  loops_[0]->run();
}

void loop_pool::stop() {
  for (auto& l : loops_) l->stop();
}

void loop_pool::destroy() {
  guards_.clear();
  loops_.clear();
}

}  // namespace arraycast
