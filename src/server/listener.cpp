#include "server/listener.hpp"

#include <spdlog/spdlog.h>

#include "server/connection_registry.hpp"
#include "server/http_session.hpp"
#include "server/loop_pool.hpp"
#include "transport/tls_context.hpp"

namespace arraycast {

namespace {
constexpr auto accept_retry_delay = std::chrono::milliseconds(100);
}

listener::listener(loop_pool& loops, const server_config& config, services s)
    : loops_(loops), config_(config), services_(s), acceptor_(loops.at(0)), retry_(loops.at(0)) {
  const tcp::endpoint endpoint(net::ip::make_address(config.host), config.port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(net::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(net::socket_base::max_listen_connections);
}

void listener::run() {
  net::dispatch(acceptor_.get_executor(), beast::bind_front_handler(&listener::do_accept, shared_from_this()));
}

void listener::stop() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    beast::error_code ignored;
    self->retry_.cancel();
    self->acceptor_.close(ignored);
  });
}

void listener::do_accept() {
  acceptor_.async_accept(loops_.next(), beast::bind_front_handler(&listener::on_accept, shared_from_this()));
}

void listener::on_accept(beast::error_code ec, loop_socket socket) {
  if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
  if (ec) {
    // Typically EMFILE: out of file descriptors. Back off instead of spinning.
    spdlog::warn("accept failed: {}; retrying in {} ms", ec.message(), accept_retry_delay.count());
    retry_.expires_after(accept_retry_delay);
    return retry_.async_wait([self = shared_from_this()](beast::error_code e) {
      if (!e) self->do_accept();
    });
  }
  beast::error_code ignored;
  auto slot = services_.connections.try_open();
  if (!slot) {
    spdlog::debug("closing a connection unread: --max-connections ({}) reached", config_.max_connections);
    socket.close(ignored);
    return do_accept();
  }
  // Without TCP_NODELAY, a message written right after another (a gap, then
  // the replay) waits for the peer's delayed ACK: 40 ms for nothing.
  socket.set_option(tcp::no_delay(true), ignored);
  auto stream = services_.tls ? loop_transport(std::move(socket), services_.tls->current())
                              : loop_transport(std::move(socket));
  std::make_shared<http_session>(std::move(stream), std::move(*slot), services_.clients, services_.routes,
                                 services_.producers, services_.addresses, config_)
      ->run();
  do_accept();
}

}  // namespace arraycast
