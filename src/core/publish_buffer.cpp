#include "core/publish_buffer.hpp"

#include <algorithm>

namespace arraycast {

void publish_buffer::add(std::uint64_t pseq, std::string text) {
  held_.push_back({pseq, std::make_shared<const std::string>(std::move(text))});
}

publish_buffer::message publish_buffer::next_unsent() {
  if (sent_ == held_.size()) return nullptr;
  return held_[sent_++].text;
}

// Acks come in pseq order, so this is nearly always the front.
bool publish_buffer::settle(std::uint64_t pseq) {
  const auto it = std::lower_bound(held_.begin(), held_.end(), pseq,
                                   [](const entry& e, std::uint64_t v) { return e.pseq < v; });
  if (it == held_.end() || it->pseq != pseq) return false;
  if (static_cast<std::size_t>(it - held_.begin()) < sent_) --sent_;
  held_.erase(it);
  return true;
}

}  // namespace arraycast
