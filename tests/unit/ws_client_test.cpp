#include "client/ws_client.hpp"

#include <atomic>
#include <memory>
#include <thread>

#include <gtest/gtest.h>

#include "recorder/recorder.hpp"

namespace arraycast {
namespace {

using namespace std::chrono_literals;

class null_sink final : public sink {
public:
  void write_packet(const packet&, std::uint64_t, std::int64_t) override {}
  void write_event(const record_event&) override {}
  std::optional<resume_point> resume() const override { return std::nullopt; }
};

// A stream server for one client, on a thread of its own: it sends a welcome
// that does not take the URL's hello, so the client sends one; it takes the
// hello, then cuts the TCP connection when told to.
class one_shot_server {
public:
  one_shot_server()
      : acceptor_(ioc_, {net::ip::make_address("127.0.0.1"), 0}),
        port_(std::to_string(acceptor_.local_endpoint().port())) {
    thread_ = std::thread([this] { serve(); });
  }
  ~one_shot_server() {
    cut = true;
    thread_.join();
  }
  const std::string& port() const { return port_; }

  std::atomic<bool> greeted{false};
  std::atomic<bool> cut{false};
  std::atomic<bool> done{false};

private:
  void serve() {
    websocket::stream<tcp::socket> ws(acceptor_.accept());
    ws.accept();
    ws.write(net::buffer(protocol::encode(protocol::welcome{1, 0, 0, {}})));
    beast::flat_buffer hello;
    ws.read(hello);
    greeted = true;
    while (!cut) std::this_thread::sleep_for(1ms);
    ws.next_layer().close();  // no close frame: the client's read fails
    done = true;
  }

  net::io_context ioc_;
  tcp::acceptor acceptor_;  // the server thread's once it runs
  std::string port_;
  std::thread thread_;
};

// The keepalive wait and the read that ends the connection complete in the
// same turn of the event loop: the read's completion ends run() and frees the
// client, and the timer's completion, already queued with success, runs after.
// ASan reports a heap-use-after-free if that handler still uses the client.
TEST(ws_client, a_keepalive_tick_queued_as_the_connection_ends_does_not_touch_a_freed_client) {
  one_shot_server server;
  record_config config;
  config.endpoints.front().port = server.port();
  config.ping_interval = 200ms;
  null_sink out;
  recorder rec(out);
  net::io_context ioc;
  auto client = std::make_shared<ws_client>(ioc.get_executor(), config, config.endpoints.front(), rec);
  std::optional<connection_end> end;
  net::co_spawn(ioc, client->run(), [&](std::exception_ptr e, connection_end how) {
    if (e) std::rethrow_exception(e);
    client.reset();
    end = how;
  });
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!server.greeted && std::chrono::steady_clock::now() < deadline) ioc.run_one_for(10ms);
  ASSERT_TRUE(server.greeted);
  ioc.poll();  // the hello's write completes; the read and the keepalive wait are pending
  server.cut = true;
  while (!server.done) std::this_thread::sleep_for(1ms);
  std::this_thread::sleep_for(2 * config.ping_interval);  // both are ready now, neither has run
  ioc.run_for(5s);
  EXPECT_TRUE(ioc.stopped()) << "work was left on the loop after the client was freed";
  ASSERT_TRUE(end.has_value());
  EXPECT_TRUE(end->connected);
  EXPECT_EQ(client, nullptr);
}

}  // namespace
}  // namespace arraycast
