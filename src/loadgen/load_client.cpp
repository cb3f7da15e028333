#include "loadgen/load_client.hpp"

#include <netinet/in.h>

#include "core/clock.hpp"
#include "core/protocol.hpp"
#include "loadgen/packet_scan.hpp"

namespace arraycast {

namespace {

// 127.0.0.(1 + index % n): every source address has its own ~28k ephemeral
// ports, so tens of thousands of loopback connections do not run out.
void bind_source(tcp::socket& s, std::size_t index, unsigned n) {
  s.open(tcp::v4());
  const int on = 1;
  // Let connect() pick the port per 4-tuple rather than bind() per address.
  ::setsockopt(s.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &on, sizeof on);
  const auto host = static_cast<std::uint32_t>(1 + index % n);
  s.bind(tcp::endpoint(net::ip::address_v4((127u << 24) | host), 0));
}

}  // namespace

load_client::load_client(net::io_context& ioc, const bench_config& cfg, const tcp::endpoint& server,
                         std::size_t index, client_stats& stats, worker_tally& tally)
    : cfg_(cfg), server_(server), index_(index), stats_(stats), tally_(tally), ws_(ioc) {}

void load_client::start() {
  started_ = std::chrono::steady_clock::now();
  auto& socket = beast::get_lowest_layer(ws_).socket();
  beast::error_code ec;
  try {
    if (cfg_.source_addresses > 0 && server_.address().is_loopback() && server_.address().is_v4())
      bind_source(socket, cfg_.first_index + index_, cfg_.source_addresses);
  } catch (const boost::system::system_error& e) {
    ec = e.code();
  }
  if (ec) return fail(ec, "bind");
  do_connect();
}

void load_client::do_connect() {
  beast::get_lowest_layer(ws_).expires_after(cfg_.connect_timeout);
  beast::get_lowest_layer(ws_).async_connect(server_, beast::bind_front_handler(&load_client::on_connect, shared_from_this()));
}

void load_client::on_connect(beast::error_code ec) {
  if (ec) return fail(ec, "connect");
  beast::get_lowest_layer(ws_).expires_never();  // the websocket stream times itself from here
  ws_.set_option(websocket::stream_base::timeout{cfg_.connect_timeout, websocket::stream_base::none(), false});
  ws_.async_handshake(cfg_.host + ":" + cfg_.port, cfg_.target,
                      beast::bind_front_handler(&load_client::on_handshake, shared_from_this()));
}

void load_client::on_handshake(beast::error_code ec) {
  if (ec) return fail(ec, "handshake");
  connected_ = true;
  stats_.connect_us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started_).count();
  tally_.connect.record(stats_.connect_us);
  ++tally_.settled;
  hello_ = protocol::encode(protocol::hello{cfg_.name_prefix + std::to_string(cfg_.first_index + index_), {}, {}});
  ws_.text(true);
  ws_.async_write(net::buffer(hello_), beast::bind_front_handler(&load_client::on_hello, shared_from_this()));
}

void load_client::on_hello(beast::error_code ec, std::size_t) {
  if (ec) return fail(ec, "hello");
  do_read();
}

void load_client::do_read() {
  ws_.async_read(buffer_, beast::bind_front_handler(&load_client::on_read, shared_from_this()));
}

void load_client::on_read(beast::error_code ec, std::size_t bytes) {
  if (ec) return fail(ec, "read");
  const auto& data = buffer_.cdata();
  on_packet(std::string_view(static_cast<const char*>(data.data()), data.size()), bytes);
  buffer_.consume(buffer_.size());
  do_read();
}

void load_client::on_packet(std::string_view text, std::size_t bytes) {
  const auto mark = scan_packet(text);
  if (!mark) return;  // welcome, gap, error: not counted
  ++stats_.packets;
  if (stats_.last_seq != 0 && mark->seq > stats_.last_seq + 1) stats_.missing += mark->seq - stats_.last_seq - 1;
  if (mark->seq <= stats_.last_seq) ++stats_.out_of_order;
  else stats_.last_seq = mark->seq;
  if (!tally_.measuring) return;
  ++stats_.window_packets;
  stats_.window_bytes += bytes;
  tally_.latency.record(now_us() - mark->ts);
}

void load_client::stop() {
  stopped_ = true;
  beast::error_code ignored;
  beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
  beast::get_lowest_layer(ws_).close();
}

void load_client::fail(beast::error_code ec, const char* what) {
  if (stopped_) return;  // our own stop(): not an error
  if (stats_.error.empty()) stats_.error = std::string(what) + ": " + ec.message();
  if (connected_) {
    stats_.lost = true;
    return;
  }
  stats_.failed = true;
  ++tally_.settled;
}

}  // namespace arraycast
