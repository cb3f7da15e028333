#include "server/loop_pool.hpp"

#include <string>
#include <thread>

#include <spdlog/spdlog.h>

namespace arraycast {

namespace {

std::string describe(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    return x.what();
  } catch (...) {
    return "an exception that is not a std::exception";
  }
}

}  // namespace

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
  {
    std::vector<std::jthread> threads;
    for (std::size_t i = 1; i < loops_.size(); ++i) threads.emplace_back([this, i] { run_loop(i); });
    run_loop(0);
  }
  if (failure_) std::rethrow_exception(failure_);
}

void loop_pool::run_loop(std::size_t i) {
  try {
    loops_[i]->run();
  } catch (...) {
    spdlog::critical("event loop {} failed: {}; stopping every loop", i, describe(std::current_exception()));
    {
      std::lock_guard lock(failure_mutex_);
      if (!failure_) failure_ = std::current_exception();
    }
    stop();
  }
}

void loop_pool::stop() {
  for (auto& l : loops_) l->stop();
}

void loop_pool::destroy() {
  guards_.clear();
  loops_.clear();
}

}  // namespace arraycast
