#pragma once

#include <memory>
#include <string>
#include <utility>
#include <variant>

#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "util/net.hpp"

namespace arraycast {

// A connection's byte stream: plain TCP, or TLS over it. The choice is made
// once, where the connection is accepted or opened; every session and client
// above reads and writes through the same type either way.
//
// TLS goes through Beast's ssl_stream, which flattens a gathered write into
// one record-sized buffer per SSL_write (Asio's ssl::stream alone would
// encrypt each frame of a broadcast batch on its own).
//
// `Socket` is the bottom layer: the server's executor-typed socket, or a
// client's beast::tcp_stream, whose timeouts cover connect and handshake.
template <class Socket>
class basic_transport {
public:
  using socket_type = Socket;
  using tls_type = beast::ssl_stream<Socket>;
  using executor_type = typename Socket::executor_type;

  explicit basic_transport(Socket&& socket) : s_(std::move(socket)) {}
  // TLS: `context` must stay alive while the connection does; the caller
  // keeps the shared_ptr here, so a reloaded certificate leaves it alone.
  basic_transport(Socket&& socket, std::shared_ptr<net::ssl::context> context)
      : s_(std::in_place_type<tls_type>, std::move(socket), *context), context_(std::move(context)) {}

  executor_type get_executor() noexcept { return socket().get_executor(); }
  bool secure() const noexcept { return std::holds_alternative<tls_type>(s_); }
  tls_type* tls() noexcept { return std::get_if<tls_type>(&s_); }

  // The bottom layer either way: endpoints, options, shutdown, close.
  Socket& socket() noexcept {
    if (auto* t = tls()) return t->next_layer();
    return std::get<Socket>(s_);
  }
  Socket& next_layer() noexcept { return socket(); }  // for beast::get_lowest_layer

  // Cuts the connection: no close_notify, no FIN wait; errors mean it is gone already.
  void close() {
    beast::error_code ignored;
    tcp_socket().close(ignored);
  }

  // "address:port" of the other end, for the log; "unknown" once it is gone.
  std::string peer() {
    beast::error_code ec;
    const auto ep = tcp_socket().remote_endpoint(ec);
    return ec ? std::string("unknown") : ep.address().to_string() + ":" + std::to_string(ep.port());
  }

  template <class MutableBuffers, class Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    return net::async_initiate<Token, void(beast::error_code, std::size_t)>(
        [this](auto handler, const MutableBuffers& b) {
          if (auto* t = tls()) return t->async_read_some(b, std::move(handler));
          std::get<Socket>(s_).async_read_some(b, std::move(handler));
        },
        token, buffers);
  }

  template <class ConstBuffers, class Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    return net::async_initiate<Token, void(beast::error_code, std::size_t)>(
        [this](auto handler, const ConstBuffers& b) {
          if (auto* t = tls()) return t->async_write_some(b, std::move(handler));
          std::get<Socket>(s_).async_write_some(b, std::move(handler));
        },
        token, buffers);
  }

  // The TLS handshake in `role`; a plain connection has none and completes at once.
  template <class Token>
  auto async_handshake(net::ssl::stream_base::handshake_type role, Token&& token) {
    return net::async_initiate<Token, void(beast::error_code)>(
        [this, role](auto handler) {
          if (auto* t = tls()) return t->async_handshake(role, std::move(handler));
          net::post(get_executor(), [h = std::move(handler)]() mutable { std::move(h)(beast::error_code{}); });
        },
        token);
  }

private:
  // The socket itself, also inside a tcp_stream.
  auto& tcp_socket() {
    if constexpr (requires(Socket& s) { s.socket(); }) return socket().socket();
    else return socket();
  }

  std::variant<Socket, tls_type> s_;
  std::shared_ptr<net::ssl::context> context_;  // TLS only
};

// Beast closes a websocket::stream through these, found by argument-dependent
// lookup: TLS sends its close_notify first, as Beast does for ssl_stream.
template <class Socket>
void teardown(beast::role_type role, basic_transport<Socket>& t, beast::error_code& ec) {
  using websocket::teardown;
  if (auto* tls = t.tls()) return teardown(role, *tls, ec);
  teardown(role, t.socket(), ec);
}

template <class Socket, class Handler>
void async_teardown(beast::role_type role, basic_transport<Socket>& t, Handler&& handler) {
  using websocket::async_teardown;
  if (auto* tls = t.tls()) return async_teardown(role, *tls, std::forward<Handler>(handler));
  async_teardown(role, t.socket(), std::forward<Handler>(handler));
}

// The server's connections and the load generator's: sockets typed with
// their loop's executor, since every Beast operation copies its stream's
// executor several times per message, and with no per-operation timer.
using loop_socket = net::basic_stream_socket<tcp, net::io_context::executor_type>;
using loop_transport = basic_transport<loop_socket>;

// The recorder's and the publisher's: a tcp_stream, whose timeout covers
// connect and handshakes.
using client_transport = basic_transport<beast::tcp_stream>;

}  // namespace arraycast
