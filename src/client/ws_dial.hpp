#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "client/lookup.hpp"
#include "core/ws_endpoint.hpp"
#include "transport/transport.hpp"

namespace arraycast {

using client_ws = websocket::stream<client_transport>;

// The stream to `to`, not yet connected: TLS for wss://, checked as `tls` says.
// Throws std::runtime_error when the CA file cannot be read.
client_ws make_client_ws(net::any_io_executor ex, const ws_endpoint& to, const client_tls_options& tls);

// A wss:// server whose certificate the client refused; reason() says why.
class tls_refused : public boost::system::system_error {
public:
  tls_refused(beast::error_code ec, std::string reason) : system_error(ec), reason_(std::move(reason)) {}
  const std::string& reason() const noexcept { return reason_; }

private:
  std::string reason_;
};

// What a failed connection says in the log: a refused certificate's problem,
// otherwise the error's own message.
std::string failure_text(const boost::system::system_error& e);

// The client side of opening a connection, shared by the recorder's
// ws_client and the publisher: name lookup, TCP connect, TLS handshake for
// wss:// and WebSocket handshake, all within `timeout`. `check` runs after
// each step and throws to stop there (a close asked for meanwhile). `res`
// receives the server's answer to the upgrade, so that a refusal (403, 409)
// can say why. Throws boost::system::system_error (tls_refused for a bad
// certificate).
net::awaitable<void> ws_dial(client_ws& ws, lookup& names, const ws_endpoint& to, const client_tls_options& tls,
                             std::chrono::microseconds timeout, const std::function<void()>& check,
                             websocket::response_type& res);

}  // namespace arraycast
