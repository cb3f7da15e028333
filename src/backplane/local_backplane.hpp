#pragma once

#include <vector>

#include "backplane/backplane.hpp"

namespace arraycast {

// In-process backplane: publish() calls every handler directly, on the
// publisher's thread.
class local_backplane final : public backplane {
public:
  void publish(frame_ptr f) override {
    for (auto& h : handlers_) h(f);
  }
  void on_frame(handler h) override { handlers_.push_back(std::move(h)); }

private:
  std::vector<handler> handlers_;  // written before the stream starts, then read-only
};

}  // namespace arraycast
