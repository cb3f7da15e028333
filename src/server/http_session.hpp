#pragma once

#include <memory>
#include <optional>

#include "server/server_config.hpp"
#include "util/net.hpp"

namespace arraycast {

class hub;

// A TCP connection before (or instead of) a WebSocket upgrade: reads HTTP
// requests under the handshake timeout, answers plain GETs (http_routes), and hands
// upgrades to a ws_session (or an echo_session on /echo).
class http_session : public std::enable_shared_from_this<http_session> {
public:
  http_session(tcp::socket&& socket, hub& h, const server_config& config);
  void run();

private:
  void do_read();
  void on_read(beast::error_code ec, std::size_t bytes);
  void upgrade();
  void respond(http::response<http::string_body> res);
  void on_write(bool keep_alive, beast::error_code ec, std::size_t bytes);

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  hub& hub_;
  const server_config& config_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<void> response_;  // keeps the response alive during async_write
  bool answered_ = false;           // a response went out: later silence is keep-alive idling
};

}  // namespace arraycast
