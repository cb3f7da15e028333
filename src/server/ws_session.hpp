#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "auth/identity.hpp"
#include "core/frame.hpp"
#include "core/keepalive.hpp"
#include "core/protocol.hpp"
#include "core/send_queue.hpp"
#include "server/connection_registry.hpp"
#include "server/metrics.hpp"
#include "server/receipt_log.hpp"
#include "server/server_config.hpp"
#include "server/session_stats.hpp"
#include "server/wire_socket.hpp"
#include "util/net.hpp"

namespace arraycast {

class hub;

// One WebSocket client of the stream. Owns its socket and its bounded send
// queue, and lives on one event loop (see loop_pool): every member function
// runs there, and the hub reaches it only by posting to that loop, so it is
// also destroyed there. Queued frames go out framed once for every client,
// all that are waiting in one gather write (see wire_socket); Beast does
// everything else.
//
// Its end is a state, not an accident: any read, write or close error, an
// unanswered ping, or a close that outlives its deadline aborts the socket at
// once, which completes every pending operation and so releases the session.
class ws_session : public std::enable_shared_from_this<ws_session> {
public:
  ws_session(loop_transport&& stream, connection_slot slot, hub& h, const session_limits& limits);
  ~ws_session();

  // Before run(): the token's identity. Its name (a JWT's `sub`) replaces
  // the hello's; the connection is closed with close_code::token_expired at its expiry.
  void authorize(const auth::identity& who);
  // Completes the upgrade that http_session has read. `greeting`: the hello
  // its URL held; without one, a hello message is waited for until
  // limits.hello_wait, and then the client gets the live stream as it is.
  void run(http::request<http::string_body> req, std::optional<protocol::hello> greeting);

  // Queues a live frame (skipped if replay already had it).
  void deliver(const frame_ptr& f);
  // Starts the closing handshake, bounded by the close deadline.
  void close(std::uint16_t code, std::string reason);

  net::io_context& loop() { return net::query(ws_.get_executor(), net::execution::context); }
  // What /clients and /metrics read, from any thread.
  std::shared_ptr<const session_stats> stats() const { return stats_; }

private:
  void on_accept(const std::optional<protocol::hello>& greeting, beast::error_code ec);
  void do_read();
  void on_read(beast::error_code ec, std::size_t bytes);
  void on_message(std::string_view text);
  void on_hello(const protocol::hello& h);
  void subscribe(const protocol::hello& h);
  void on_ack(const protocol::ack& a);
  void on_bad_message(const protocol::decode_error& e);

  void enqueue(frame_ptr f, bool exempt);
  void do_write();
  void on_write(beast::error_code ec, std::size_t bytes);
  void fetch_archived(const protocol::gap& range);
  void on_archived(const std::vector<frame_ptr>& frames);

  void on_expiry(beast::error_code ec);
  void do_keepalive();
  void on_keepalive(beast::error_code ec);
  void on_ping(beast::error_code ec);
  void on_control(websocket::frame_type kind);
  void on_close(beast::error_code ec);
  void abort();
  void fail(beast::error_code ec, const char* what);
  const std::string& who() const { return name_.empty() ? peer_ : name_; }

  hub& hub_;
  server_metrics& metrics_;          // the hub's; atomics, any thread
  const session_limits limits_;
  const std::string peer_;           // "address:port", for logs
  const std::shared_ptr<session_stats> stats_;
  const connection_slot slot_;       // its place among all connections, freed with the session

  // Everything below: the session's loop only.
  std::string name_;                 // from hello (or the token's subject); empty until then
  // Whether the hub streams to it yet: once a hello came, or hello_wait passed.
  enum class phase : std::uint8_t { waiting, greeted, plain } phase_ = phase::waiting;
  keepalive::clock::time_point hello_due_;  // when a client without a hello gets the stream as it is
  std::string subject_;              // the token's name; empty: the hello names the client
  websocket::stream<wire_socket> ws_;
  beast::flat_buffer buffer_;
  send_queue queue_;
  std::uint64_t first_live_ = 0;     // live frames below this seq came as replay
  bool binary_ = false;              // the client's hello asked for binary packets
  std::optional<std::size_t> archived_at_;  // waiting for an archive: where its frames go in the queue
  bool closing_ = false;             // a close was started: nothing more is queued
  bool aborted_ = false;             // the socket is closed: the session is ending
  std::uint64_t bad_messages_ = 0;
  net::steady_timer timer_;          // keepalive, then the close deadline
  net::system_timer expiry_;         // the token's expiry; never set without --auth
  std::optional<std::chrono::system_clock::time_point> expires_;
  keepalive keepalive_;
  receipt_log receipts_;             // what acks write to the log
};

}  // namespace arraycast
