#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "client/ws_client.hpp"
#include "client/ws_dial.hpp"
#include "core/failover.hpp"
#include "core/publish_buffer.hpp"
#include "source/packet_source.hpp"
#include "source/source_config.hpp"
#include "util/net.hpp"

namespace arraycast {

using namespace std::chrono_literals;

struct publish_config {
  endpoint_list to{{"ws://127.0.0.1:6969/publish", "127.0.0.1", "6969", "/publish"}};  // --url: failed over in turn
  client_tls_options tls;                    // --ca, --insecure: for wss:// URLs
  std::string token;                        // --token/--token-file: sent as a Bearer token; empty: none
  std::string producer;                     // the CLI's default: host-pid-start, new for every run
  source_config source;                     // --from and its flags
  std::size_t buffer = 10000;               // unacknowledged packets: 50 s at 200 packets/s, where a
                                            // server restart takes seconds
  std::size_t max_message = 1024 * 1024;    // the server's --max-publish-message default
  std::chrono::milliseconds backoff_initial = 100ms;  // the recorder's: most outages are restarts
  std::chrono::milliseconds backoff_max = 5s;
  std::chrono::microseconds connect_timeout = 10s;    // name lookup, TCP connect and WebSocket handshake
  std::chrono::microseconds idle_timeout = 20s;       // a silent server is pinged at half, dropped at this
};

// `arraycast publish`: takes packets from a source (it is the source's
// packet_sink), numbers them 1, 2, 3... (pseq), keeps each until the server
// acknowledges it, and sends them to /publish over one connection at a time,
// reconnecting with the recorder's jittered backoff and resending, in order,
// whatever was not acknowledged. With several --url nodes, each reconnect
// goes to the next one (core/failover), and the unacknowledged packets with it.
//
// A full buffer (--buffer) stops the intake: a source that waits for
// when_ready() waits; a live one's packets are dropped, counted and logged,
// and the server announces the hole in the pseqs as lost packets.
// Threading: everything runs on the io_context's one thread; the sink
// calls, which may come from a source's own thread, post there.
class publisher final : public packet_sink {
public:
  publisher(net::io_context& ioc, const publish_config& config);
  ~publisher() override;

  // Returns the exit code: 0 once the source has ended and every packet is
  // acknowledged, or after stop() with nothing left unacknowledged; 1 when
  // packets are left, or the server refuses producers.
  net::awaitable<int> run();
  // The first call stops the intake and closes once what was sent is
  // acknowledged (at most drain_limit later); a later one cuts the connection.
  void stop();
  std::string summary() const;

  void push(source_packet p) override;
  void lost(std::uint64_t count, std::string reason) override;
  void rejected(reject_reason reason, std::string_view detail) override;
  void ended() override;
  void when_ready(std::function<void()> next) override;

private:
  struct connection;
  static constexpr auto drain_limit = std::chrono::seconds(5);
  static constexpr std::size_t max_reply = 64 * 1024;  // replies are acks and errors: a few hundred bytes

  net::awaitable<connection_end> attempt();
  net::awaitable<void> read_replies(connection& c);
  net::awaitable<void> write_packets(std::shared_ptr<connection> c);
  connection_end how_it_ended(const boost::system::system_error& e, const connection& c,
                              const websocket::response_type& res) const;
  void take(source_packet p);
  void drop(std::uint64_t pseq, const char* why);
  void on_reply(std::string_view text);
  void settle(std::uint64_t pseq);
  void finish_if_done();
  void cut(connection& c);
  bool done() const { return ended_ && buffer_.empty(); }

  // Everything below: the io_context's thread only.
  net::io_context::executor_type ex_;
  const publish_config& config_;
  publish_buffer buffer_;
  failover failover_;                    // which node next, and the backoff
  net::steady_timer retry_timer_;        // the backoff; after stop(), the drain limit
  net::steady_timer wake_;               // the writer waits on it; cancelled when a packet comes
  std::shared_ptr<connection> current_;  // the connection in progress, if any
  std::function<void()> waiting_;        // a waiting source's when_ready(), while the buffer is full
  std::uint64_t read_ = 0;               // packets taken from the source (the last pseq given)
  std::uint64_t acked_ = 0;
  std::uint64_t dropped_ = 0;            // by the publisher: buffer full, or too big
  std::uint64_t refused_ = 0;            // by the server, with an error
  std::uint64_t rejected_ = 0;           // inputs the source could not read
  bool ended_ = false;                   // the source has nothing more
  bool stopping_ = false;
};

}  // namespace arraycast
