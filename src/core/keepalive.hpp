#pragma once

#include <chrono>
#include <optional>

namespace arraycast {

// The ping policy both ends of a connection share (ws_session, ws_client):
// after `interval` without hearing from the peer, ping; one ping at a time;
// give up when that ping is not answered by a pong within `timeout`. Other
// traffic does not answer a ping: a peer that keeps sending but cannot take
// the ping (its reads, or our writes, are stalled) is given up on too.
// Pure: the caller owns the timer and the socket, and passes the time in.
class keepalive {
public:
  using clock = std::chrono::steady_clock;
  enum class action { wait, ping, give_up };

  keepalive(std::chrono::microseconds interval, std::chrono::microseconds timeout)
      : interval_(interval), timeout_(timeout) {}

  void start(clock::time_point now) { last_rx_ = now; }
  void received(clock::time_point now) { last_rx_ = now; }  // any frame from the peer
  void pong(clock::time_point now) {
    last_rx_ = now;
    ping_sent_.reset();
  }
  void ping_written() { ping_writing_ = false; }

  // What to do now; on `ping`, the caller sends one and calls ping_written()
  // when that write completes.
  action check(clock::time_point now) {
    if (ping_sent_) return now - *ping_sent_ >= timeout_ ? action::give_up : action::wait;
    if (ping_writing_ || now - last_rx_ < interval_) return action::wait;
    ping_sent_ = now;
    ping_writing_ = true;
    return action::ping;
  }
  // When check() has something new to say, unless the peer is heard first.
  clock::time_point next_check() const { return ping_sent_ ? *ping_sent_ + timeout_ : last_rx_ + interval_; }

  std::chrono::microseconds timeout() const { return timeout_; }

private:
  std::chrono::microseconds interval_;
  std::chrono::microseconds timeout_;
  clock::time_point last_rx_;
  std::optional<clock::time_point> ping_sent_;  // a ping awaits its pong since then
  bool ping_writing_ = false;                   // a ping's write has not completed: never start a second
};

}  // namespace arraycast
