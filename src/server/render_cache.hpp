#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace arraycast {

// A rendered response body, reused while it is younger than `ttl` and its key
// is unchanged, so that N pollers of an O(clients) endpoint cost one render
// per ttl, not N. The key is whatever must show at once (the client count:
// a client that joined or left is never hidden by the cache).
// Thread-safe: any event loop. Renders run outside the lock, so a slow render
// never blocks another loop; at expiry each loop may render once.
class render_cache {
public:
  explicit render_cache(std::chrono::steady_clock::duration ttl) : ttl_(ttl) {}

  std::shared_ptr<const std::string> get(std::uint64_t key, const std::function<std::string()>& render);

private:
  const std::chrono::steady_clock::duration ttl_;

  // This mutex synchronizes all access to body_, key_ and rendered_at_.
  std::mutex mutex_;
  std::shared_ptr<const std::string> body_;  // null until the first render
  std::uint64_t key_ = 0;
  std::chrono::steady_clock::time_point rendered_at_;
};

}  // namespace arraycast
