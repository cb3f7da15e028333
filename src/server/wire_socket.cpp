#include "server/wire_socket.hpp"

namespace arraycast {

void wire_socket::wait(waiting_write w) {
  waiting_.emplace(std::move(w));
}

void wire_socket::start_waiting() {
  if (!waiting_) return;
  auto w = std::move(*waiting_);
  waiting_.reset();
  if (!w.from_beast && closed_) return refuse(std::move(w.handler));
  write(w.buffers, std::move(w.handler), w.from_beast);
}

// Completes later, never inside the call, as every asynchronous operation must.
void wire_socket::refuse(write_handler handler) {
  net::post(transport_.get_executor(),
            [h = std::move(handler)]() mutable { std::move(h)(websocket::error::closed, 0); });
}

void teardown(beast::role_type role, wire_socket& s, beast::error_code& ec) {
  teardown(role, s.next_layer(), ec);
}

}  // namespace arraycast
