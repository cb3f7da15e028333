#include "loadgen/load_client.hpp"

#include <netinet/in.h>

#include <random>
#include <type_traits>
#include <utility>

#include <fmt/format.h>

#include "client/bearer.hpp"
#include "core/binary_packet.hpp"
#include "core/clock.hpp"
#include "core/protocol.hpp"
#include "loadgen/packet_scan.hpp"
#include "transport/tls_context.hpp"

namespace arraycast {

namespace {

// 127.0.0.(1 + index % n): every source address has its own ~28k ephemeral
// ports, so tens of thousands of loopback connections do not run out.
template <class Socket>
void bind_source(Socket& s, std::size_t index, unsigned n) {
  s.open(tcp::v4());
  const int on = 1;
  // Let connect() pick the port per 4-tuple rather than bind() per address.
  ::setsockopt(s.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &on, sizeof on);
  const auto host = static_cast<std::uint32_t>(1 + index % n);
  s.bind(tcp::endpoint(net::ip::address_v4((127u << 24) | host), 0));
}

// A jitter source of its own per client, seeded by its number: thousands of
// clients cut at once must not retry in lockstep.
backoff::jitter_fn jitter_for(std::size_t index) {
  return [rng = std::minstd_rand(static_cast<std::uint_fast32_t>(index + 1))]() mutable {
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
  };
}

}  // namespace

load_client::load_client(net::io_context& ioc, const bench_config& cfg, const std::vector<tcp::endpoint>& servers,
                         std::size_t index, client_stats& stats, worker_tally& tally,
                         std::shared_ptr<net::ssl::context> tls)
    : ioc_(ioc), cfg_(cfg), servers_(servers), index_(index),
      name_(fmt::format("{}{}", cfg.name_prefix, cfg.first_index + index)), stats_(stats), tally_(tally),
      tls_(std::move(tls)),
      seqs_(stats),
      failover_(servers.size(), index,
                backoff(cfg.backoff_initial, cfg.backoff_max, jitter_for(cfg.first_index + index))),
      timer_(ioc) {}

void load_client::start() {
  started_ = std::chrono::steady_clock::now();
  stats_.first_endpoint = failover_.current();
  do_connect();
}

void load_client::do_connect() {
  if (cfg_.endpoints[failover_.current()].secure) ws_.emplace(loop_socket(ioc_), tls_);
  else ws_.emplace(loop_socket(ioc_));
  buffer_.clear();
  acking_ = false;
  ack_next_ = 0;
  auto& socket = ws_->next_layer().socket();
  const auto& server = servers_[failover_.current()];
  try {
    if (cfg_.source_addresses > 0 && server.address().is_loopback() && server.address().is_v4())
      bind_source(socket, cfg_.first_index + index_, cfg_.source_addresses);
  } catch (const boost::system::system_error& e) {
    return fail(e.code(), "bind");
  }
  connecting_ = true;
  timer_.expires_after(cfg_.connect_timeout);
  timer_.async_wait(beast::bind_front_handler(&load_client::on_connect_timeout, shared_from_this()));
  socket.async_connect(server, beast::bind_front_handler(&load_client::on_connect, shared_from_this()));
}

// Closing the socket fails the pending connect with operation_aborted.
void load_client::on_connect_timeout(beast::error_code ec) {
  if (ec || !connecting_) return;  // connected (or stopped) in time
  ws_->next_layer().close();
}

void load_client::on_connect(beast::error_code ec) {
  if (ec == net::error::operation_aborted && !stopped_) ec = beast::error::timeout;
  if (!ec && ws_->next_layer().secure()) {
    // Under the connect deadline still: a server that never answers TLS.
    const auto& to = cfg_.endpoints[failover_.current()];
    try {
      expect_server(ws_->next_layer().tls()->native_handle(), to.host, cfg_.tls.insecure);
    } catch (const std::runtime_error&) {
      return fail(net::error::invalid_argument, "tls");
    }
    return ws_->next_layer().async_handshake(net::ssl::stream_base::client,
                                             beast::bind_front_handler(&load_client::on_tls, shared_from_this()));
  }
  connecting_ = false;
  timer_.cancel();
  if (ec) return fail(ec, "connect");
  do_handshake();
}

void load_client::on_tls(beast::error_code ec) {
  connecting_ = false;
  timer_.cancel();
  if (ec == net::error::operation_aborted && !stopped_) ec = beast::error::timeout;
  if (ec) return fail(ec, "tls");
  do_handshake();
}

void load_client::do_handshake() {
  ws_->set_option(websocket::stream_base::timeout{cfg_.connect_timeout, websocket::stream_base::none(), false});
  const auto& to = cfg_.endpoints[failover_.current()];
  send_token(*ws_, cfg_.token);
  ws_->async_handshake(fmt::format("{}:{}", to.host, to.port), to.target,
                       beast::bind_front_handler(&load_client::on_handshake, shared_from_this()));
}

void load_client::on_handshake(beast::error_code ec) {
  if (ec) return fail(ec, "handshake");
  stats_.up = true;
  stats_.endpoint = failover_.current();
  // Unlike the recorder, which waits for a connection to hold: a storm
  // measures how fast clients can be back.
  failover_.reset();
  if (ever_connected_) {
    ++stats_.reconnects;
  } else {
    ever_connected_ = true;
    stats_.connect_us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started_).count();
    tally_.connect.record(stats_.connect_us);
    ++tally_.settled;
  }
  auto hello = seqs_.hello(name_);
  hello.enc = cfg_.encoding;
  hello_ = protocol::encode(hello);
  ws_->text(true);
  ws_->async_write(net::buffer(hello_), beast::bind_front_handler(&load_client::on_hello, shared_from_this()));
}

void load_client::on_hello(beast::error_code ec, std::size_t) {
  if (ec) return fail(ec, "hello");
  do_read();
}

void load_client::do_read() {
  ws_->async_read(buffer_, beast::bind_front_handler(&load_client::on_read, shared_from_this()));
}

void load_client::on_read(beast::error_code ec, std::size_t bytes) {
  if (ec) return fail(ec, "read");
  const auto& data = buffer_.cdata();
  const std::string_view message(static_cast<const char*>(data.data()), data.size());
  if (ws_->got_text()) on_message(message, bytes);
  else on_binary(message, bytes);
  buffer_.consume(buffer_.size());
  do_read();
}

void load_client::on_message(std::string_view text, std::size_t bytes) {
  const auto mark = scan_packet(text);
  if (!mark) return on_control(text);
  on_packet(*mark, bytes);
}

// Only packets come as binary (docs/PROTOCOL.md): the header is all we read.
void load_client::on_binary(std::string_view bytes, std::size_t size) {
  if (const auto head = protocol::peek_binary(bytes)) on_packet({head->seq, head->ts}, size);
}

void load_client::on_packet(const packet_mark& mark, std::size_t bytes) {
  ++stats_.packets;
  seqs_.on_packet(mark.seq);
  if (cfg_.ack) do_ack(mark.seq);
  if (!tally_.measuring) return;
  ++stats_.window_packets;
  stats_.window_bytes += bytes;
  tally_.latency.record(now_us() - mark.ts);
}

// Welcome and gap come once per connection at most: a full decode is cheap here.
void load_client::on_control(std::string_view text) {
  const auto message = protocol::decode_server(text);
  if (const auto* w = std::get_if<protocol::welcome>(&message))
    seqs_.on_welcome(w->epoch, w->head, std::chrono::steady_clock::now());
  else if (const auto* g = std::get_if<protocol::gap>(&message))
    seqs_.on_gap(*g);
}

void load_client::do_ack(std::uint64_t seq) {
  if (acking_) {
    ack_next_ = seq;
    return;
  }
  acking_ = true;
  ack_ = protocol::encode(protocol::ack{seq});
  ws_->async_write(net::buffer(ack_), beast::bind_front_handler(&load_client::on_ack, shared_from_this()));
}

// A failed write needs nothing here: the pending read fails too and retries.
void load_client::on_ack(beast::error_code ec, std::size_t) {
  acking_ = false;
  if (ec || ack_next_ == 0) return;
  do_ack(std::exchange(ack_next_, 0));
}

void load_client::do_retry(bool was_connected) {
  timer_.expires_after(failover_.next(was_connected));
  timer_.async_wait(beast::bind_front_handler(&load_client::on_retry, shared_from_this()));
}

void load_client::on_retry(beast::error_code ec) {
  if (ec || stopped_) return;  // cancelled by stop()
  do_connect();
}

void load_client::stop() {
  stopped_ = true;
  timer_.cancel();
  if (!ws_) return;
  beast::error_code ignored;
  ws_->next_layer().socket().shutdown(tcp::socket::shutdown_both, ignored);
  ws_->next_layer().close();
}

void load_client::fail(beast::error_code ec, const char* what) {
  if (stopped_) return;  // our own stop(): not an error
  if (stats_.error.empty()) stats_.error = fmt::format("{}: {}", what, ec.message());
  if (!ever_connected_) {
    stats_.failed = true;
    ++tally_.settled;
    return;
  }
  stats_.lost = true;
  do_retry(std::exchange(stats_.up, false));
}

}  // namespace arraycast
