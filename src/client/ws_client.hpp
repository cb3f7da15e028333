#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "client/client_config.hpp"
#include "client/lookup.hpp"
#include "client/ws_dial.hpp"
#include "core/keepalive.hpp"
#include "core/protocol.hpp"
#include "util/net.hpp"

namespace arraycast {

class recorder;

// How one connection ended.
struct connection_end {
  bool connected = false;  // the handshake had succeeded
  bool retry = true;       // false: the server said not to reconnect
  std::string reason;
};

// One connection to the stream: connect, then handshake with the hello in
// the URL (see core/hello_query), then read
// packets into the recorder and acknowledge each once it is written.
// Single-threaded: everything runs on the executor given at construction.
// Owned by a shared_ptr: the keepalive timer's handler holds a weak one, as
// its wait may complete in the same turn of the loop that ends run().
class ws_client : public std::enable_shared_from_this<ws_client> {
public:
  ws_client(net::any_io_executor ex, const record_config& config, const ws_endpoint& to, recorder& rec);

  net::awaitable<connection_end> run();
  // Closes with 1000, or abandons whatever connection step is in progress
  // (name lookup, TCP connect, handshake); run() then returns.
  void close();
  // Cuts the connection now, even a close handshake the server does not answer.
  void abort();

private:
  std::optional<std::string> token_refused(beast::error_code ec) const;
  net::awaitable<void> connect();
  net::awaitable<void> read_loop();
  void arm_keepalive();
  void check_keepalive();
  void on_control(websocket::frame_type kind);
  void report_status();
  void stop_if_closing() const;

  const record_config& config_;
  const ws_endpoint& to_;  // one of config_.endpoints
  recorder& rec_;
  lookup lookup_;
  client_ws ws_;
  beast::flat_buffer buffer_;
  protocol::hello hello_;            // this connection's, in its URL
  websocket::response_type upgrade_answer_;  // the server's answer to the upgrade: says why it refused
  bool connected_ = false;
  bool closing_ = false;
  keepalive keepalive_;
  bool timed_out_ = false;           // keepalive gave up on the server
  net::steady_timer keepalive_timer_;
  std::chrono::steady_clock::time_point last_status_;
};

}  // namespace arraycast
