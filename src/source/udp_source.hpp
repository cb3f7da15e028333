#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "source/line_input.hpp"
#include "source/packet_source.hpp"
#include "source/source_config.hpp"
#include "util/net.hpp"

namespace arraycast {

using udp = net::ip::udp;

// The HOST:PORT of `udp:HOST:PORT`: an IPv4 or IPv6 literal ([::1]:9000 or
// ::1:9000) and a port 1-65535. Throws std::invalid_argument with a message
// for the user.
udp::endpoint parse_udp_address(std::string_view address);

// One packet per datagram: a JSON or numbers line (line_input), or a binary
// packet of layout v2 (docs/PROTOCOL.md), told apart by the first byte. The
// socket is bound in the constructor, so a taken port fails at startup.
//
// Reads with recvmsg() when Asio reports the socket readable, instead of
// async_receive_from: recvmsg returns the kernel's count of datagrams it
// dropped for want of buffer space (SO_RXQ_OVFL), which become a gap, and the
// true size of a datagram too big for the buffer (MSG_TRUNC).
// Runs on its own strand; every member but stopped_ is touched only there.
class udp_source final : public packet_source {
public:
  udp_source(net::io_context& ioc, const source_config& config);
  protocol::stream_info describe() const override;
  void start(packet_sink& out) override;
  void stop() override;

private:
  // Asked of the kernel (best effort, capped by net.core.rmem_max): a burst
  // of ~4 MiB of datagrams waits there while the strand is busy.
  static constexpr int receive_buffer_bytes = 4 << 20;
  // Datagrams read per wake-up before yielding the thread to other handlers.
  static constexpr int batch = 64;

  void do_wait();
  void on_readable(beast::error_code ec);
  bool receive_one();
  void on_datagram(std::string_view bytes, std::size_t size);
  void on_binary(std::string_view bytes);
  void count_drops(std::uint32_t dropped_so_far);

  const source_config config_;
  udp::socket socket_;
  std::string buffer_;                   // one datagram, at most --max-input bytes
  std::optional<line_input> input_;      // text datagrams; made in start()
  packet_sink* out_ = nullptr;
  std::uint32_t kernel_dropped_ = 0;     // the kernel's drop counter when last read
  std::atomic<bool> stopped_ = false;    // any thread: set by stop(), read before each push
};

}  // namespace arraycast
