#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "source/packet_source.hpp"

namespace arraycast::test {

// A packet_sink that keeps what a source delivers, for any thread; when_ready is at once.
class collecting_sink final : public packet_sink {
public:
  void push(source_packet p) override {
    std::lock_guard lock(mutex_);
    packets_.push_back(std::move(p.arrays));
    changed_.notify_all();
  }
  void lost(std::uint64_t, std::string) override {}
  void rejected(reject_reason reason, std::string_view) override {
    std::lock_guard lock(mutex_);
    rejected_.push_back(reason);
  }
  void ended() override {
    std::lock_guard lock(mutex_);
    ++ended_;
    changed_.notify_all();
  }
  void when_ready(std::function<void()> next) override { next(); }

  // Waits (up to 5 s) for ended(); returns how often it was called.
  int wait_ended() {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::seconds(5), [this] { return ended_ > 0; });
    return ended_;
  }
  int ended_count() {
    std::lock_guard lock(mutex_);
    return ended_;
  }
  std::vector<std::vector<array_t>> packets() {
    std::lock_guard lock(mutex_);
    return packets_;
  }
  std::vector<reject_reason> rejected() {
    std::lock_guard lock(mutex_);
    return rejected_;
  }

private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::vector<array_t>> packets_;
  std::vector<reject_reason> rejected_;
  int ended_ = 0;
};

}  // namespace arraycast::test
