#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/failover.hpp"
#include "loadgen/bench_config.hpp"
#include "loadgen/client_stats.hpp"
#include "loadgen/packet_scan.hpp"
#include "loadgen/seq_tracker.hpp"
#include "transport/transport.hpp"

namespace arraycast {

// One WebSocket client of the load generator: bind a loopback source
// address, connect, handshake, say hello, then read packets and count them.
// Client k starts on --url k mod n. A connection lost after the first one
// succeeded is retried on the next --url as core/failover says (jittered
// backoff) and resumed (hello with epoch and last_seq); a first connect that
// fails is reported, not retried. Acks every packet with --ack (a newer ack
// waits while one is being written); packets are scanned for seq and ts
// only, welcome and gap (rare) are decoded. Single-threaded: all of it
// runs on its worker's io_context, as do the stats and tally it writes.
class load_client : public std::enable_shared_from_this<load_client> {
public:
  // `servers`: cfg.endpoints resolved, in the same order. `tls`: the context
  // for wss:// URLs, shared by the worker's clients; null if there are none.
  load_client(net::io_context& ioc, const bench_config& cfg, const std::vector<tcp::endpoint>& servers,
              std::size_t index, client_stats& stats, worker_tally& tally, std::shared_ptr<net::ssl::context> tls);

  void start();
  // Drops the connection at once (no close handshake) and any pending retry: the run is over.
  void stop();

private:
  // A socket typed with its loop's executor: no per-operation timer as in
  // beast::tcp_stream, and no type-erased executor copies in every Beast
  // operation, which made up much of the load generator's own CPU per message.
  using ws_stream = websocket::stream<loop_transport>;

  void do_connect();
  void on_connect(beast::error_code ec);
  void on_connect_timeout(beast::error_code ec);
  void on_tls(beast::error_code ec);
  void do_handshake();
  void on_handshake(beast::error_code ec);
  void on_hello(beast::error_code ec, std::size_t bytes);
  void do_read();
  void on_read(beast::error_code ec, std::size_t bytes);
  void on_message(std::string_view text, std::size_t bytes);
  void on_binary(std::string_view bytes, std::size_t size);
  void on_packet(const packet_mark& mark, std::size_t bytes);
  void on_control(std::string_view text);
  void do_ack(std::uint64_t seq);
  void on_ack(beast::error_code ec, std::size_t bytes);
  void do_retry(bool was_connected);
  void on_retry(beast::error_code ec);
  void fail(beast::error_code ec, const char* what);

  net::io_context& ioc_;
  const bench_config& cfg_;
  const std::vector<tcp::endpoint>& servers_;
  const std::size_t index_;
  const std::string name_;
  client_stats& stats_;
  worker_tally& tally_;
  std::shared_ptr<net::ssl::context> tls_;
  std::optional<ws_stream> ws_;      // a new stream per connection
  beast::flat_buffer buffer_;
  std::string hello_;                // kept alive until written
  std::string ack_;                  // likewise
  bool acking_ = false;              // an ack is being written (Beast allows one write at a time)
  std::uint64_t ack_next_ = 0;       // the newest seq to ack after it; 0: none
  seq_tracker seqs_;
  failover failover_;                // which --url next, and the backoff
  net::steady_timer timer_;          // the connect deadline, then the retry backoff
  std::chrono::steady_clock::time_point started_;
  bool connecting_ = false;          // a TCP connect or TLS handshake is pending: the timer is its deadline
  bool ever_connected_ = false;      // retry only once the server was reached
  bool stopped_ = false;
};

}  // namespace arraycast
