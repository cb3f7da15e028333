#pragma once

#include <condition_variable>
#include <mutex>

namespace arraycast {

// What a source's readers share with stop(), and with the stream's callbacks
// (which may run after the source is gone, so it is held by shared_ptr).
struct source_gate {
  std::mutex mutex;  // guards stopped, ready; held while a reader feeds, so stop() waits out a feed
  std::condition_variable wake;
  bool stopped = false;
  bool ready = false;  // the stream can take the next packet (when_ready fired)

  // Once: true for the call that stopped it.
  bool stop() {
    std::lock_guard lock(mutex);
    if (stopped) return false;
    stopped = true;
    wake.notify_all();
    return true;
  }
};

}  // namespace arraycast
