#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "client/lookup.hpp"
#include "core/ws_endpoint.hpp"
#include "util/net.hpp"

namespace arraycast {

// The client side of opening a connection, shared by the recorder's
// ws_client and the publisher: name lookup, TCP connect and WebSocket
// handshake, all within `timeout`. `check` runs after each step and throws
// to stop there (a close asked for meanwhile). `res` receives the server's
// answer to the upgrade, so that a refusal (403, 409) can say why. Throws
// boost::system::system_error.
net::awaitable<void> ws_dial(websocket::stream<beast::tcp_stream>& ws, lookup& names, const ws_endpoint& to,
                             std::chrono::microseconds timeout, const std::function<void()>& check,
                             websocket::response_type& res);

}  // namespace arraycast
