#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/frame.hpp"
#include "core/protocol.hpp"
#include "server/metrics.hpp"
#include "server/receipt_log.hpp"
#include "server/server_config.hpp"
#include "server/wire_socket.hpp"
#include "util/net.hpp"

namespace arraycast {

class hub;

// One WebSocket client of the stream. Owns its socket and its bounded send
// queue, and lives on one event loop (see loop_pool): other threads reach it
// only through close(); the hub delivers frames on the session's own loop.
// Queued frames go out framed once for every client, all that are waiting
// in one gather write (see wire_socket); Beast does everything else.
class ws_session : public std::enable_shared_from_this<ws_session> {
public:
  ws_session(beast::tcp_stream&& stream, hub& h, const session_limits& limits);
  ~ws_session();

  // Completes the upgrade that http_session has read.
  void run(http::request<http::string_body> req);

  // Session loop only: queue a live frame (skipped if replay already had it).
  void deliver(const frame_ptr& f);
  // Thread-safe: posts to the session's loop.
  void close(std::uint16_t code, std::string reason);

  net::any_io_executor executor() { return ws_.get_executor(); }

  // Thread-safe snapshot for /clients and /metrics; lag is left to the hub.
  client_info info() const;

private:
  void on_accept(beast::error_code ec);
  void do_read();
  void on_read(beast::error_code ec, std::size_t bytes);
  void on_message(std::string_view text);
  void on_hello(const protocol::hello& h);
  void on_ack(const protocol::ack& a);
  void on_bad_message(const protocol::decode_error& e);

  void enqueue(frame_ptr f);
  std::size_t queued() const { return queue_.size() + batch_.size(); }
  void do_write();
  void on_write(beast::error_code ec, std::size_t bytes);

  void do_keepalive();
  void on_keepalive(beast::error_code ec);
  void do_close(std::uint16_t code, std::string reason);
  void on_close(beast::error_code ec);
  void abort();
  void fail(beast::error_code ec, const char* what);

  hub& hub_;
  server_metrics& metrics_;          // the hub's; atomics, any thread
  const session_limits limits_;
  const std::string peer_;           // "address:port", for logs
  const std::int64_t connected_since_;  // µs since the Unix epoch

  // Read by info() on any thread: atomics, relaxed (each value stands alone),
  // written on the session's loop only.
  std::atomic<std::uint64_t> last_acked_{0};
  std::atomic<std::int64_t> last_ack_at_{0};
  std::atomic<std::size_t> queued_{0};   // mirrors queued()

  // name_ is written once, on the session's loop, under name_mutex_; the loop reads
  // it without the lock, other threads (info()) only under it.
  mutable std::mutex name_mutex_;
  std::string name_;                 // from hello; empty until then

  // Everything below: session loop only.
  websocket::stream<wire_socket> ws_;
  beast::flat_buffer buffer_;
  // Vectors, not a deque, which allocates 512 bytes even when empty: an idle
  // session holds no queue memory at all.
  std::vector<frame_ptr> batch_;     // being written, in one gather write
  std::vector<frame_ptr> queue_;     // waiting for the next write
  std::size_t replay_left_ = 0;      // leading queued frames that are replay, exempt from max_queue
  std::uint64_t first_live_ = 0;     // live frames below this seq came as replay; 0: no hello yet
  bool binary_ = false;              // the client's hello asked for binary packets
  bool closing_ = false;
  std::uint64_t bad_messages_ = 0;
  net::steady_timer timer_;          // keepalive, then the close deadline
  std::chrono::steady_clock::time_point last_rx_;
  bool pinged_ = false;              // a ping went out since last_rx_
  receipt_log receipts_;             // what acks write to the log
};

}  // namespace arraycast
