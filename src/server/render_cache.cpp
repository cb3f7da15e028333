#include "server/render_cache.hpp"

namespace arraycast {

std::shared_ptr<const std::string> render_cache::get(std::uint64_t key, const std::function<std::string()>& render) {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    if (body_ && key_ == key && now - rendered_at_ < ttl_) return body_;
  }
  auto body = std::make_shared<const std::string>(render());
  std::lock_guard lock(mutex_);
  body_ = body;
  key_ = key;
  rendered_at_ = now;
  return body;
}

}  // namespace arraycast
