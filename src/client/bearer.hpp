#pragma once

#include <string>

#include "util/net.hpp"

namespace arraycast {

// Has `ws` send `Authorization: Bearer <token>` with its upgrade request
// (a server started with --auth asks for it); an empty token sends nothing.
// Set before the handshake; the token is copied into the decorator.
template <class NextLayer>
void send_token(websocket::stream<NextLayer>& ws, const std::string& token) {
  if (token.empty()) return;
  ws.set_option(websocket::stream_base::decorator(
      [bearer = "Bearer " + token](websocket::request_type& req) { req.set(http::field::authorization, bearer); }));
}

}  // namespace arraycast
