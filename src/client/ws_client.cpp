#include "client/ws_client.hpp"

#include <spdlog/spdlog.h>

#include "client/bearer.hpp"
#include "client/ws_dial.hpp"
#include "core/binary_packet.hpp"
#include "core/clock.hpp"
#include "core/close_codes.hpp"
#include "core/hello_query.hpp"
#include "recorder/recorder.hpp"

namespace arraycast {

using std::chrono::steady_clock;

namespace {

std::string describe_close(const websocket::close_reason& r) {
  if (r.code == websocket::close_code::none) return "connection closed without a close frame";
  return fmt::format("server closed the connection ({}{}{})", r.code, r.reason.empty() ? "" : ": ",
                     std::string_view(r.reason.data(), r.reason.size()));
}

}  // namespace

// A 401 or 403 to the upgrade: trying again with the same token would be refused again.
std::optional<std::string> ws_client::token_refused(beast::error_code ec) const {
  const auto status = upgrade_answer_.result();
  if (ec != websocket::error::upgrade_declined ||
      (status != http::status::unauthorized && status != http::status::forbidden))
    return std::nullopt;
  const auto* why = status == http::status::unauthorized ? "a valid token is needed (--token, --token-file)"
                                                         : "the token lacks the 'read' scope, or the origin is refused";
  return fmt::format("the server refused the upgrade with {} {}: {}", upgrade_answer_.result_int(),
                     std::string(upgrade_answer_.reason()), why);
}

ws_client::ws_client(net::any_io_executor ex, const record_config& config, const ws_endpoint& to, recorder& rec)
    : config_(config), to_(to), rec_(rec), lookup_(ex), ws_(make_client_ws(ex, to, config.tls)), keepalive_(config.ping_interval, config.ping_timeout),
      keepalive_timer_(ex) {}

net::awaitable<connection_end> ws_client::run() {
  try {
    co_await connect();
    co_await read_loop();
  } catch (const boost::system::system_error& e) {
    keepalive_timer_.cancel();
    if (timed_out_) co_return connection_end{connected_, true, "no answer from the server (ping timeout)"};
    if (auto refused = token_refused(e.code())) co_return connection_end{false, false, std::move(*refused)};
    if (e.code() == websocket::error::closed) {
      const auto& r = ws_.reason();
      co_return connection_end{connected_, close_code::should_reconnect(r.code), describe_close(r)};
    }
    co_return connection_end{connected_, true, failure_text(e)};
  }
  co_return connection_end{connected_, true, "read loop ended"};
}

net::awaitable<void> ws_client::connect() {
  ws_.control_callback([this](websocket::frame_type kind, beast::string_view) { on_control(kind); });
  // Named, not a temporary: it outlives every suspension of ws_dial.
  const std::function<void()> check = [this] { stop_if_closing(); };
  send_token(ws_, config_.token);
  // The hello rides in the URL: the server streams from the upgrade on, with
  // no wait for a message and no race with its hello wait. A server that
  // does not say so in its welcome gets the hello as a message too.
  hello_ = rec_.hello(config_.name);
  hello_.enc = config_.encoding;
  auto to = to_;
  to.target = protocol::with_hello(to_.target, hello_);
  co_await ws_dial(ws_, lookup_, to, config_.tls, config_.connect_timeout, check, upgrade_answer_);
  connected_ = true;
  last_status_ = steady_clock::now();
  keepalive_.start(last_status_);
  spdlog::info("connected to {}", to_.url);
  rec_.on_connected(to_.url, now_us());
  arm_keepalive();
  ws_.text(true);
}

net::awaitable<void> ws_client::read_loop() {
  for (;;) {
    co_await ws_.async_read(buffer_, net::use_awaitable);
    keepalive_.received(steady_clock::now());
    // Binary messages are packets in the compact layout; control messages,
    // and packets to JSON clients, are text. Either may fail to decode. The
    // decoded message owns its data, so the buffer is read in place.
    const auto data = buffer_.cdata();
    const std::string_view bytes(static_cast<const char*>(data.data()), data.size());
    auto msg = ws_.got_binary() ? protocol::decode_binary(bytes) : protocol::decode_server(bytes);
    buffer_.consume(buffer_.size());
    if (auto* e = std::get_if<protocol::decode_error>(&msg)) {
      spdlog::warn("ignoring a message from the server ({}): {}", e->code, e->message);
      continue;
    }
    if (auto* err = std::get_if<protocol::error>(&msg))
      spdlog::warn("the server rejected a message ({}): {}", err->code, err->message);
    if (auto* w = std::get_if<protocol::welcome>(&msg); w && !w->subscribed)
      co_await ws_.async_write(net::buffer(protocol::encode(hello_)), net::use_awaitable);
    if (auto seq = rec_.on_message(msg, now_us()))
      co_await ws_.async_write(net::buffer(protocol::encode(protocol::ack{*seq})), net::use_awaitable);
    report_status();
  }
}

void ws_client::on_control(websocket::frame_type kind) {
  if (kind == websocket::frame_type::pong) keepalive_.pong(steady_clock::now());
  else keepalive_.received(steady_clock::now());
}

// Waits for the keepalive's next check. A wait that completed as the
// connection ended runs after run() returned, when the client may be gone:
// the weak pointer tells.
void ws_client::arm_keepalive() {
  keepalive_timer_.expires_at(keepalive_.next_check());
  keepalive_timer_.async_wait([weak = weak_from_this()](beast::error_code ec) {
    if (const auto self = weak.lock(); self && !ec) self->check_keepalive();
  });
}

// Giving up closes the socket, which ends the read loop.
void ws_client::check_keepalive() {
  switch (keepalive_.check(steady_clock::now())) {
    case keepalive::action::give_up:
      spdlog::warn("the server did not answer a ping within {} ms, dropping the connection",
                   std::chrono::duration_cast<std::chrono::milliseconds>(keepalive_.timeout()).count());
      timed_out_ = true;
      return beast::get_lowest_layer(ws_).close();
    case keepalive::action::ping:
      ws_.async_ping({}, [weak = weak_from_this()](beast::error_code) {
        if (const auto self = weak.lock()) self->keepalive_.ping_written();
      });
      break;
    case keepalive::action::wait:
      break;
  }
  arm_keepalive();
}

void ws_client::report_status() {
  const auto now = steady_clock::now();
  if (now - last_status_ < config_.status_every) return;
  last_status_ = now;
  spdlog::info("recorded {} packets so far (last seq {})", rec_.packets_written(), rec_.last_seq());
}

void ws_client::close() {
  if (closing_) return;
  closing_ = true;
  if (!connected_) return abort();
  ws_.async_close(static_cast<websocket::close_code>(close_code::normal), [](beast::error_code) {});
}

void ws_client::abort() {
  closing_ = true;
  lookup_.abandon();
  beast::get_lowest_layer(ws_).close();
}

// A step that completed just before close() must not start the next one.
void ws_client::stop_if_closing() const {
  if (closing_) throw boost::system::system_error(net::error::operation_aborted, "recorder stopping");
}

}  // namespace arraycast
