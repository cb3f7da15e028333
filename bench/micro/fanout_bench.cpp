// Fan-out: one frame broadcast by the hub to N real ws_sessions, written over
// loopback and read by N Beast clients, all on one thread. The hub is used
// through its public interface only. An iteration ends when every client has
// read the frame, so it measures the whole server side (hub snapshot, posts,
// queue, WebSocket framing, send syscalls) plus the clients' reads.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <vector>

#include "core/clock.hpp"
#include "core/protocol.hpp"
#include "server/hub.hpp"
#include "server/ws_session.hpp"
#include "server/connection_registry.hpp"
#include "source/random_arrays.hpp"

namespace {

using namespace arraycast;

struct client {
  websocket::stream<beast::tcp_stream> ws;
  beast::flat_buffer buffer;
  explicit client(net::io_context& ioc) : ws(ioc) {}
};

class fanout_fixture {
public:
  explicit fanout_fixture(std::size_t n) : hub_(protocol::welcome{1, 0, 16, {"random", 0, protocol::random_shape{5, 10, 0, 99}}}, n + 1, {&ioc_}),
        connections_(n + 1, hub_.metrics()),
        acceptor_(ioc_) {
    spdlog::set_level(spdlog::level::warn);
    tcp::endpoint ep(net::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(ep.protocol());
    acceptor_.bind(ep);
    acceptor_.listen(static_cast<int>(n));
    for (std::size_t i = 0; i < n; ++i) connect_one(i);
    ioc_.run_for(std::chrono::milliseconds(500));  // every session reads its hello and subscribes
    for (auto& c : clients_) do_read(*c);
  }

  // Broadcasts one frame and runs the loop until every client has read it.
  void broadcast(const frame_ptr& f) {
    const auto target = received_ + clients_.size();
    hub_.broadcast(f);
    while (received_ < target) ioc_.run_one();
  }

private:
  void connect_one(std::size_t i) {
    auto c = std::make_unique<client>(ioc_);
    beast::get_lowest_layer(c->ws).socket().connect(acceptor_.local_endpoint());
    tcp::socket accepted = acceptor_.accept();
    bool shook = false;
    c->ws.async_handshake("127.0.0.1", "/", [&shook](beast::error_code ec) { shook = !ec; });
    ioc_.poll();  // the upgrade request is now in the server socket
    beast::tcp_stream server_side(std::move(accepted));
    beast::flat_buffer b;
    http::request<http::string_body> req;
    http::read(server_side, b, req);
    hub_.try_admit();
    auto s = std::make_shared<ws_session>(std::move(server_side), *connections_.try_open(), hub_, session_limits{});
    s->run(std::move(req));
    while (!shook) ioc_.run_one();
    c->ws.text(true);
    c->ws.write(net::buffer(protocol::encode(protocol::hello{fmt::format("c{}", i), {}, {}})));
    c->ws.read(c->buffer);  // the welcome
    c->buffer.consume(c->buffer.size());
    sessions_.push_back(std::move(s));
    clients_.push_back(std::move(c));
  }

  void do_read(client& c) {
    c.ws.async_read(c.buffer, [this, &c](beast::error_code ec, std::size_t) {
      if (ec) return;
      c.buffer.consume(c.buffer.size());
      ++received_;
      do_read(c);
    });
  }

  net::io_context ioc_{1};
  hub hub_;
  connection_registry connections_;
  tcp::acceptor acceptor_;
  std::vector<std::shared_ptr<ws_session>> sessions_;
  std::vector<std::unique_ptr<client>> clients_;
  std::size_t received_ = 0;
};

void hub_fanout(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  fanout_fixture fixture(n);
  random_arrays source(random_params{5, 10, 0, 99}, 1);
  std::uint64_t seq = 0;
  for (auto _ : state) {
    ++seq;
    packet p{seq, now_us(), source.arrays_for(seq)};
    auto text = protocol::encode(p);
    fixture.broadcast(make_frame(seq, p.ts, p.arrays.size(), text));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));  // messages delivered
}
BENCHMARK(hub_fanout)->Arg(100)->Arg(1000)->Unit(benchmark::kMicrosecond);

}  // namespace
