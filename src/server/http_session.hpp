#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>

#include "auth/identity.hpp"
#include "server/connection_registry.hpp"
#include "server/server_config.hpp"
#include "transport/transport.hpp"

namespace arraycast {

class address_limits;
class hub;
class http_routes;
class publish_source;

// A connection before (or instead of) a WebSocket upgrade: completes the TLS
// handshake if there is one, reads HTTP requests under the handshake timeout, answers plain GETs (http_routes), and hands
// upgrades, with the socket and its connection_slot, to a ws_session (or an
// echo_session on /echo, a publish_session on /publish). Keep-alive is bounded twice: by the idle time
// between requests and by the number of requests.
// Lives on one event loop; shutdown reaches it through its slot.
class http_session : public std::enable_shared_from_this<http_session> {
public:
  // `producers`: where /publish goes; null when the source is not `publish`.
  // `addresses`: every upgrade is admitted through it.
  http_session(loop_transport&& stream, connection_slot slot, hub& h, http_routes& routes, publish_source* producers,
               address_limits& addresses, const server_config& config);
  void run();

private:
  void on_handshake(beast::error_code ec);
  void arm_deadline(std::chrono::microseconds after);
  void on_deadline();
  void do_read();
  void on_read(beast::error_code ec, std::size_t bytes);
  void upgrade();
  void upgrade_publish(http::request<http::string_body> req, address_limits::claim claim);
  void hand_over(address_limits::claim claim);
  void respond(http::response<http::string_body> res);
  void on_write(bool keep_alive, beast::error_code ec, std::size_t bytes);
  void stop();

  // Everything below: the session's loop only.
  connection_slot slot_;  // first, so that it is freed after the socket is closed
  loop_transport stream_;
  net::steady_timer deadline_;      // bounds the TLS handshake, each request, and keep-alive idling
  beast::flat_buffer buffer_;
  hub& hub_;
  http_routes& routes_;
  publish_source* producers_;
  address_limits& addresses_;  // thread-safe
  const server_config& config_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<void> response_;  // keeps the response alive during async_write
  auth::identity identity_;         // whom the last request's token named (see admission)
  std::size_t answered_ = 0;        // responses sent: after one, silence is keep-alive idling
  bool handed_over_ = false;        // stream_ and slot_ moved to a WebSocket session
};

}  // namespace arraycast
