#include "client/ws_dial.hpp"

#include <spdlog/spdlog.h>

#include "transport/tls_context.hpp"

namespace arraycast {

namespace {

net::awaitable<void> tls_handshake(client_ws& ws, const ws_endpoint& to, const client_tls_options& tls) {
  auto& stream = *ws.next_layer().tls();
  if (tls.insecure) spdlog::warn("{}: --insecure: the server's certificate is not checked", to.url);
  expect_server(stream.native_handle(), to.host, tls.insecure);
  beast::error_code ec;
  co_await stream.async_handshake(net::ssl::stream_base::client, net::redirect_error(net::use_awaitable, ec));
  if (ec) throw tls_refused(ec, tls_failure(stream.native_handle(), ec));
}

}  // namespace

std::string failure_text(const boost::system::system_error& e) {
  if (const auto* refused = dynamic_cast<const tls_refused*>(&e)) return refused->reason();
  return e.code().message();
}

client_ws make_client_ws(net::any_io_executor ex, const ws_endpoint& to, const client_tls_options& tls) {
  if (!to.secure) return client_ws(beast::tcp_stream(ex));
  return client_ws(beast::tcp_stream(ex), make_client_tls(tls));
}

net::awaitable<void> ws_dial(client_ws& ws, lookup& names, const ws_endpoint& to, const client_tls_options& tls,
                             std::chrono::microseconds timeout, const std::function<void()>& check,
                             websocket::response_type& res) {
  auto& tcp_layer = beast::get_lowest_layer(ws);
  tcp_layer.expires_after(timeout);  // from here: the lookup counts too
  const auto endpoints = co_await names.resolve(to.host, to.port, timeout);
  check();
  co_await tcp_layer.async_connect(endpoints, net::use_awaitable);
  check();
  // Acks are tiny and follow each other: do not let Nagle hold them.
  tcp_layer.socket().set_option(tcp::no_delay(true));
  if (to.secure) {
    co_await tls_handshake(ws, to, tls);
    check();
  }
  tcp_layer.expires_never();  // the websocket stream times itself from here
  ws.set_option(websocket::stream_base::timeout{timeout, websocket::stream_base::none(), false});
  co_await ws.async_handshake(res, to.host + ":" + to.port, to.target, net::use_awaitable);
  check();
}

}  // namespace arraycast
