#include "client/ws_dial.hpp"

namespace arraycast {

net::awaitable<void> ws_dial(websocket::stream<beast::tcp_stream>& ws, lookup& names, const ws_endpoint& to,
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
  tcp_layer.expires_never();  // the websocket stream times itself from here
  ws.set_option(websocket::stream_base::timeout{timeout, websocket::stream_base::none(), false});
  co_await ws.async_handshake(res, to.host + ":" + to.port, to.target, net::use_awaitable);
  check();
}

}  // namespace arraycast
