#pragma once

#include <chrono>
#include <string>

#include "client/client_config.hpp"
#include "util/net.hpp"

namespace arraycast {

class recorder;

// How one connection ended.
struct connection_end {
  bool connected = false;  // the handshake had succeeded
  bool retry = true;       // false: the server said not to reconnect
  std::string reason;
};

// One connection to the stream: connect, handshake, hello, then read
// packets into the recorder and acknowledge each once it is written.
// Single-threaded: everything runs on the executor given at construction.
class ws_client {
public:
  ws_client(net::any_io_executor ex, const record_config& config, recorder& rec);

  net::awaitable<connection_end> run();
  // Closes with 1000 (or abandons the connect in progress); run() then returns.
  void close();

private:
  net::awaitable<void> connect();
  net::awaitable<void> read_loop();
  void arm_keepalive();
  void check_keepalive();
  void report_status();

  const record_config& config_;
  recorder& rec_;
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  bool connected_ = false;
  bool closing_ = false;
  std::chrono::steady_clock::time_point last_rx_;
  bool pinged_ = false;              // a ping went out since last_rx_
  bool timed_out_ = false;           // keepalive gave up on the server
  net::steady_timer keepalive_;      // destroyed with the client, which aborts its wait
  std::chrono::steady_clock::time_point last_status_;
};

}  // namespace arraycast
