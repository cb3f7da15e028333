#pragma once

#include <memory>

#include "util/net.hpp"

namespace arraycast {

// /echo (with --echo): sends every message back unchanged, same frame type,
// up to 16 MiB, so a standard RFC 6455 conformance suite can test the server's
// WebSocket handling. Not part of the stream.
class echo_session : public std::enable_shared_from_this<echo_session> {
public:
  explicit echo_session(beast::tcp_stream&& stream);
  void run(http::request<http::string_body> req);

private:
  void on_accept(beast::error_code ec);
  void do_read();
  void on_read(beast::error_code ec, std::size_t bytes);
  void on_write(beast::error_code ec, std::size_t bytes);

  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
};

}  // namespace arraycast
