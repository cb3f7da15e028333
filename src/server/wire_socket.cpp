#include "server/wire_socket.hpp"

#include <unistd.h>

#include <stdexcept>

namespace arraycast {

namespace {

// The same open socket, typed with its loop's executor. A socket that cannot
// be moved (its peer already gone) comes back closed: the handshake on it
// then fails like any other, without throwing on the loop.
wire_socket::socket_type on_its_loop(tcp::socket&& socket) {
  const auto* loop = socket.get_executor().target<net::io_context::executor_type>();
  if (!loop) throw std::logic_error("wire_socket: the socket does not run on an io_context");
  wire_socket::socket_type typed(*loop);
  beast::error_code ec;
  const auto protocol = socket.local_endpoint(ec).protocol();
  if (ec) return typed;
  const auto fd = socket.release(ec);
  if (ec) return typed;
  typed.assign(protocol, fd, ec);
  if (ec) ::close(fd);
  return typed;
}

}  // namespace

wire_socket::wire_socket(tcp::socket&& socket) : socket_(on_its_loop(std::move(socket))) {}

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
  net::post(socket_.get_executor(),
            [h = std::move(handler)]() mutable { std::move(h)(websocket::error::closed, 0); });
}

void teardown(beast::role_type role, wire_socket& s, beast::error_code& ec) {
  websocket::teardown(role, s.next_layer(), ec);
}

}  // namespace arraycast
