#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <optional>
#include <string>

#include "core/backoff.hpp"
#include "source/line_input.hpp"
#include "source/packet_source.hpp"
#include "source/source_config.hpp"
#include "util/net.hpp"

namespace arraycast {

// Whether Asio can set these serial settings on this system (a baud rate
// termios has no constant for, 1.5 stop bits on POSIX): the message for the
// user naming the flag, or empty.
std::string serial_settings_error(const source_config& config);

// `serial:DEVICE`: lines from a serial port (a board on /dev/ttyACM0) into a
// line_input. A device that is missing or goes away (unplugged: a read error
// or EOF) is closed and reopened with jittered backoff, each attempt logged;
// the partial line it was sending is discarded, never glued to the next one.
// It never ends on its own. Runs on its own strand; every member but
// stopped_ is touched only there.
class serial_source final : public packet_source {
public:
  serial_source(net::io_context& ioc, const source_config& config);
  protocol::stream_info describe() const override;
  void start(packet_sink& out) override;
  void stop() override;

private:
  // A board plugged back in is found within 2 s, and a missing one costs a
  // log line every 2 s at most.
  static constexpr std::chrono::milliseconds retry_initial{100};
  static constexpr std::chrono::milliseconds retry_max{2000};

  void do_open();
  void open_port();
  void do_retry(const std::string& why);
  void do_read();
  void on_read(beast::error_code ec, std::size_t n);

  const source_config config_;
  const std::string device_;
  net::serial_port port_;
  net::steady_timer timer_;  // the wait before the next opening
  backoff backoff_;
  std::array<char, 4096> buffer_{};
  std::optional<line_input> input_;  // one per opening: a partial line ends with its connection
  packet_sink* out_ = nullptr;
  std::atomic<bool> stopped_ = false;  // any thread: set by stop(), read before each push
};

}  // namespace arraycast
