#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "loadgen/bench_config.hpp"
#include "loadgen/client_stats.hpp"
#include "util/net.hpp"

namespace arraycast {

// One WebSocket connection of the load generator: bind a loopback source
// address, connect, handshake, say hello, then read packets and count them.
// Never acks and never parses more than seq and ts. Single-threaded: all of
// it runs on its worker's io_context, as do the stats and tally it writes.
class load_client : public std::enable_shared_from_this<load_client> {
public:
  load_client(net::io_context& ioc, const bench_config& cfg, const tcp::endpoint& server,
              std::size_t index, client_stats& stats, worker_tally& tally);

  void start();
  // Drops the connection at once (no close handshake): the run is over.
  void stop();

private:
  void do_connect();
  void on_connect(beast::error_code ec);
  void on_handshake(beast::error_code ec);
  void on_hello(beast::error_code ec, std::size_t bytes);
  void do_read();
  void on_read(beast::error_code ec, std::size_t bytes);
  void on_packet(std::string_view text, std::size_t bytes);
  void fail(beast::error_code ec, const char* what);

  const bench_config& cfg_;
  const tcp::endpoint server_;
  const std::size_t index_;
  client_stats& stats_;
  worker_tally& tally_;
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  std::string hello_;                // kept alive until written
  std::chrono::steady_clock::time_point started_;
  bool connected_ = false;
  bool stopped_ = false;
};

}  // namespace arraycast
