#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>

namespace arraycast {

// A producer's packets that the server has not acknowledged yet, oldest
// first, each as the message that publishes it; at most `capacity`. Each is
// sent once per connection, in order, and forgotten once settled (acked, or
// refused for good). A new connection sends everything held again. Pure: the
// publisher owns one and drives it from its executor.
class publish_buffer {
public:
  using message = std::shared_ptr<const std::string>;

  explicit publish_buffer(std::size_t capacity) : capacity_(capacity) {}

  bool full() const { return held_.size() >= capacity_; }
  bool empty() const { return held_.empty(); }
  std::size_t size() const { return held_.size(); }

  // Precondition: !full(), and `pseq` above every pseq held.
  void add(std::uint64_t pseq, std::string text);
  // The oldest message not yet sent on this connection, now counted as sent; null when none.
  message next_unsent();
  // Forgets `pseq`; false when it is not held (settled already).
  bool settle(std::uint64_t pseq);
  // A new connection: everything held is unsent again.
  void resend_all() { sent_ = 0; }

private:
  struct entry {
    std::uint64_t pseq;
    message text;
  };
  std::size_t capacity_;
  std::deque<entry> held_;  // ascending pseq
  std::size_t sent_ = 0;    // the first sent_ of held_ went out on this connection
};

}  // namespace arraycast
