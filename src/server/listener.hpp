#pragma once

#include <memory>

#include "server/server_config.hpp"
#include "util/net.hpp"

namespace arraycast {

class hub;
class loop_pool;

// Accepts TCP connections on loop 0, each onto the next event loop in turn,
// and hands them to an http_session. Construction binds and listens, and
// throws if it cannot.
class listener : public std::enable_shared_from_this<listener> {
public:
  listener(loop_pool& loops, const server_config& config, hub& h);
  tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }
  void run();
  void stop();

private:
  void do_accept();
  void on_accept(beast::error_code ec, tcp::socket socket);

  loop_pool& loops_;
  const server_config& config_;
  hub& hub_;
  tcp::acceptor acceptor_;      // loop 0 only
  net::steady_timer retry_;     // pause after an accept error, so a full fd table does not spin us
};

}  // namespace arraycast
