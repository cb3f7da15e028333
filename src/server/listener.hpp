#pragma once

#include <memory>

#include "server/server_config.hpp"
#include "transport/transport.hpp"

namespace arraycast {

class address_limits;
class connection_registry;
class http_routes;
class hub;
class loop_pool;
class publish_source;
class server_tls;

// Accepts TCP connections on loop 0, each onto the next event loop in turn,
// wraps them in TLS if the server has a certificate, and hands them to an http_session with their place in the registry; over
// --max-connections a connection is closed at once, unread. Construction
// binds and listens, and throws if it cannot.
class listener : public std::enable_shared_from_this<listener> {
public:
  // Everything passed in outlives the listener and every session it starts.
  struct services {
    hub& clients;
    connection_registry& connections;
    http_routes& routes;
    publish_source* producers;  // the source /publish feeds; null unless --source publish
    address_limits& addresses;  // every upgrade is admitted through it
    const server_tls* tls;      // the certificate connections are accepted with; null: plain TCP
  };
  listener(loop_pool& loops, const server_config& config, services s);
  tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }
  void run();
  void stop();

private:
  void do_accept();
  void on_accept(beast::error_code ec, loop_socket socket);

  loop_pool& loops_;
  const server_config& config_;
  services services_;
  tcp::acceptor acceptor_;      // loop 0 only
  net::steady_timer retry_;     // pause after an accept error, so a full fd table does not spin us
};

}  // namespace arraycast
