#pragma once

#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

#include <boost/asio/any_completion_handler.hpp>

#include "transport/transport.hpp"

namespace arraycast {

// The connection under a session's websocket::stream, shared by two writers:
// Beast, which writes the handshake response and its control frames (pong,
// ping, close) through async_write_some, and the session, which writes its
// queued messages, framed once for every client, in one gather write
// (async_write_frames). Each write goes out whole before the other writer's
// starts, so frames never interleave; once Beast has written a close frame,
// the session's frames are refused, since nothing may follow it.
//
// Beast stays in charge of the handshake, reads, control frames, timeouts and
// teardown; this layer only orders the bytes. Under TLS it orders them before
// encryption: the transport below turns each gather write into records.
// Threading: the session's loop only, like the session (one thread, no strand).
class wire_socket {
public:
  using executor_type = loop_transport::executor_type;
  using next_layer_type = loop_transport;
  using write_handler = net::any_completion_handler<void(beast::error_code, std::size_t)>;

  explicit wire_socket(loop_transport&& transport) : transport_(std::move(transport)) {}

  executor_type get_executor() noexcept { return transport_.get_executor(); }
  loop_transport& next_layer() noexcept { return transport_; }
  loop_socket& socket() noexcept { return transport_.socket(); }

  template <class MutableBuffers, class Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    return transport_.async_read_some(buffers, std::forward<Token>(token));
  }

  // Beast's writes. Completes only when every byte is written, so that a
  // frame of the session never lands inside one of Beast's.
  template <class ConstBuffers, class Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    return net::async_initiate<Token, void(beast::error_code, std::size_t)>(
        [this](auto handler, const ConstBuffers& b) {
          if (writing_) return wait({{net::buffer_sequence_begin(b), net::buffer_sequence_end(b)}, std::move(handler), true});
          write(b, std::move(handler), true);
        },
        token, buffers);
  }

  // The session's writes: whole WebSocket frames, at most one call in flight;
  // `frames` and the memory it refers to must outlive the call.
  template <class ConstBuffers, class Handler>
  void async_write_frames(const ConstBuffers& frames, Handler&& handler) {
    if (closed_) return refuse(std::forward<Handler>(handler));
    if (writing_) return wait({{net::buffer_sequence_begin(frames), net::buffer_sequence_end(frames)},
                               std::forward<Handler>(handler), false});
    write(frames, std::forward<Handler>(handler), false);
  }

private:
  // A write that waits for the other writer's to end: rare (a control frame
  // during a session write or the reverse), so it may copy and allocate.
  struct waiting_write {
    std::vector<net::const_buffer> buffers;
    write_handler handler;
    bool from_beast = false;
  };

  template <class ConstBuffers, class Handler>
  void write(const ConstBuffers& buffers, Handler&& handler, bool from_beast) {
    writing_ = true;
    if (from_beast && is_close_frame(buffers)) closed_ = true;
    net::async_write(transport_, buffers,
                     [this, h = std::forward<Handler>(handler)](beast::error_code ec, std::size_t n) mutable {
                       writing_ = false;
                       start_waiting();   // before h, which may write again and would overtake it
                       std::move(h)(ec, n);
                     });
  }

  template <class ConstBuffers>
  static bool is_close_frame(const ConstBuffers& buffers) {
    for (auto it = net::buffer_sequence_begin(buffers); it != net::buffer_sequence_end(buffers); ++it)
      if (const net::const_buffer b = *it; b.size() > 0) return *static_cast<const unsigned char*>(b.data()) == 0x88;
    return false;  // 0x88: FIN and opcode 8; an HTTP response starts with 'H'
  }

  void wait(waiting_write w);
  void start_waiting();
  void refuse(write_handler handler);

  loop_transport transport_;
  bool writing_ = false;                  // a write is on the socket
  std::optional<waiting_write> waiting_;  // at most one: the other writer's
  bool closed_ = false;                   // Beast wrote a close frame
};

// Beast tears a websocket stream down through overloads for its next layer,
// found by argument-dependent lookup: here, the transport's.
void teardown(beast::role_type role, wire_socket& s, beast::error_code& ec);

template <class Handler>
void async_teardown(beast::role_type role, wire_socket& s, Handler&& handler) {
  async_teardown(role, s.next_layer(), std::forward<Handler>(handler));
}

}  // namespace arraycast
