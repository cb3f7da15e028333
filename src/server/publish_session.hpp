#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "server/connection_registry.hpp"
#include "server/server_config.hpp"
#include "source/publish_source.hpp"
#include "transport/transport.hpp"

namespace arraycast {

// /publish (with --source publish --allow-publish): one producer's
// connection. Reads `publish` messages of up to --max-publish-message bytes
// and hands them to the publish source through its claim, which this session
// holds until its connection ends (one producer at a time); answers each with
// `published` once the packet is in history, or with an `error` naming what
// is wrong. Replies are written one at a time, in order; while more than
// max_replies wait, reading pauses, so a producer that does not read its
// replies cannot grow the server's memory. Shutdown closes it with 1001.
// Lives on one event loop (every member: that loop only); acks come from the
// stream's strand by a post.
class publish_session : public std::enable_shared_from_this<publish_session> {
public:
  publish_session(loop_transport&& stream, connection_slot slot, publish_source::claim claim,
                  const session_limits& limits);
  ~publish_session();
  // Before run(): when the producer's token expires (a JWT's `exp`); at
  // that time the connection is closed with close_code::token_expired.
  void expire_at(std::optional<std::chrono::system_clock::time_point> at) { expires_ = at; }
  void run(http::request<http::string_body> req);

private:
  static constexpr std::size_t max_replies = 1024;

  void on_accept(beast::error_code ec);
  void on_expiry(beast::error_code ec);
  void do_read();
  void on_read(beast::error_code ec, std::size_t bytes);
  void on_message(std::string_view text);
  void on_published(const std::string& producer, std::uint64_t pseq, std::uint64_t seq);
  void refuse(reject_reason reason, protocol::publish_error e);
  void reply(std::string text);
  void do_write();
  void on_write(beast::error_code ec, std::size_t bytes);
  void fail(beast::error_code ec, const char* what);
  void stop();

  connection_slot slot_;  // first, so that it is freed after the socket is closed
  websocket::stream<loop_transport> ws_;
  net::system_timer expiry_;        // the token's expiry; never set without --auth
  std::optional<std::chrono::system_clock::time_point> expires_;
  std::optional<publish_source::claim> claim_;  // given back as soon as the connection ends
  const session_limits limits_;
  const std::string peer_;
  beast::flat_buffer buffer_;
  std::string producer_;            // the id of the first message; one per connection
  std::deque<std::string> replies_; // front: being written
  bool paused_ = false;             // reading waits for replies_ to drain
  bool open_ = false;               // the upgrade completed: a close frame may be sent
  std::uint64_t accepted_ = 0;      // publish messages handed to the source
};

}  // namespace arraycast
