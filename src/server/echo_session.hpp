#pragma once

#include <memory>

#include "server/connection_registry.hpp"
#include "transport/transport.hpp"

namespace arraycast {

// /echo (with --echo): sends every message back unchanged, same frame type,
// up to 16 MiB, so a standard RFC 6455 conformance suite can test the server's
// WebSocket handling. Not part of the stream. Holds one message at a time and
// frees it once echoed; its connection_slot counts it against
// --max-connections, and shutdown closes it with 1001.
// Lives on one event loop; shutdown reaches it through its slot.
class echo_session : public std::enable_shared_from_this<echo_session> {
public:
  echo_session(loop_transport&& stream, connection_slot slot);
  void run(http::request<http::string_body> req);

private:
  void on_accept(beast::error_code ec);
  void do_read();
  void on_read(beast::error_code ec, std::size_t bytes);
  void on_write(beast::error_code ec, std::size_t bytes);
  void stop();

  // Everything below: the session's loop only.
  connection_slot slot_;  // first, so that it is freed after the socket is closed
  websocket::stream<loop_transport> ws_;
  beast::flat_buffer buffer_;
  bool open_ = false;  // the upgrade completed: a close frame may be sent
};

}  // namespace arraycast
