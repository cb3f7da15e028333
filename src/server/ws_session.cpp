#include "server/ws_session.hpp"

#include <algorithm>

#include <boost/iterator/transform_iterator.hpp>
#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "core/close_codes.hpp"
#include "server/hub.hpp"

namespace arraycast {

// Beast itself closes with 1009 when a message exceeds read_message_max.
static_assert(close_code::too_big == static_cast<std::uint16_t>(websocket::close_code::too_big));

namespace {

// Bad messages logged per session before the rest are only counted, and the
// count at which the session is closed: a flood costs neither disk nor CPU.
constexpr std::uint64_t bad_messages_logged = 3;
constexpr std::uint64_t bad_messages_tolerated = 100;

std::string peer_of(beast::tcp_stream& s) {
  beast::error_code ec;
  auto ep = s.socket().remote_endpoint(ec);
  return ec ? std::string("unknown") : ep.address().to_string() + ":" + std::to_string(ep.port());
}

// Past this many, a drained queue gives its memory back (a replay can leave
// thousands of slots behind); below it, keeping them saves reallocating.
constexpr std::size_t queue_capacity_kept = 64;

// A hello or an ack fits, so that one read is one message.
constexpr std::size_t read_chunk = 256;

// The frames of one gather write as a buffer sequence, in the client's
// encoding: no copy of the bytes, and no allocation.
struct frame_run {
  const std::vector<frame_ptr>* frames;
  bool binary;

  struct to_buffer {
    bool binary;
    net::const_buffer operator()(const frame_ptr& f) const { return net::buffer(f->for_client(binary).bytes); }
  };
  auto begin() const { return boost::make_transform_iterator(frames->begin(), to_buffer{binary}); }
  auto end() const { return boost::make_transform_iterator(frames->end(), to_buffer{binary}); }
};

std::size_t bytes_of(const std::vector<frame_ptr>& frames, bool binary) {
  std::size_t n = 0;
  for (const auto& f : frames) n += f->for_client(binary).payload().size();
  return n;
}

}  // namespace

ws_session::ws_session(beast::tcp_stream&& stream, hub& h, const session_limits& limits)
    : hub_(h), metrics_(h.metrics()), limits_(limits), peer_(peer_of(stream)), connected_since_(now_us()),
      ws_(stream.release_socket()),
      timer_(ws_.get_executor()), receipts_(limits.receipts) {}

ws_session::~ws_session() {
  hub_.leave(this);
  receipts_.flush(name_.empty() ? peer_ : name_, now_us());
  spdlog::info("{} disconnected", name_.empty() ? peer_ : name_ + " (" + peer_ + ")");
}

void ws_session::run(http::request<http::string_body> req) {
  ws_.set_option(websocket::stream_base::timeout{
      limits_.handshake_timeout, websocket::stream_base::none(), false});
  ws_.read_message_max(limits_.max_message);
  ws_.control_callback([this](websocket::frame_type, beast::string_view) {
    last_rx_ = std::chrono::steady_clock::now();
    pinged_ = false;
  });
  ws_.async_accept(req, beast::bind_front_handler(&ws_session::on_accept, shared_from_this()));
}

void ws_session::on_accept(beast::error_code ec) {
  if (ec) return fail(ec, "accept");
  spdlog::info("{} connected", peer_);
  server_metrics::bump(metrics_.connections);
  hub_.join(shared_from_this());
  last_rx_ = std::chrono::steady_clock::now();
  enqueue(make_control_frame(protocol::encode(hub_.welcome())));
  do_keepalive();
  do_read();
}

// Reads at most read_chunk bytes at a time: a whole-message read would make
// Beast reserve 1.5 KiB in buffer_ up front, on every idle connection, where
// the protocol's messages (hello, ack) fit in a few dozen bytes.
void ws_session::do_read() {
  ws_.async_read_some(buffer_, read_chunk, beast::bind_front_handler(&ws_session::on_read, shared_from_this()));
}

void ws_session::on_read(beast::error_code ec, std::size_t) {
  if (ec) return fail(ec, "read");
  last_rx_ = std::chrono::steady_clock::now();
  pinged_ = false;
  if (!ws_.is_message_done()) return do_read();  // Beast still enforces read_message_max
  const auto data = buffer_.cdata();
  if (ws_.got_text()) on_message(std::string_view(static_cast<const char*>(data.data()), data.size()));
  else on_bad_message({"bad_message", "binary messages are not part of the protocol"});
  buffer_.consume(buffer_.size());
  do_read();
}

void ws_session::on_message(std::string_view text) {
  auto msg = protocol::decode_client(text);
  if (auto* h = std::get_if<protocol::hello>(&msg)) return on_hello(*h);
  if (auto* a = std::get_if<protocol::ack>(&msg)) return on_ack(*a);
  on_bad_message(std::get<protocol::decode_error>(msg));
}

void ws_session::on_hello(const protocol::hello& h) {
  if (!name_.empty()) return on_bad_message({"bad_message", "hello was already received"});
  {
    std::lock_guard lock(name_mutex_);
    name_ = h.name;
  }
  auto plan = hub_.subscribe(shared_from_this(), h);
  first_live_ = plan.first_live;
  binary_ = h.enc == protocol::encoding::binary;
  spdlog::info("{} ({}) said hello{}{}", name_, peer_, binary_ ? " (binary packets)" : "",
               h.epoch ? fmt::format(", resuming after packet {}: {} to replay", *h.last_seq, plan.replay.size())
                       : "");
  for (const auto& g : plan.gaps) enqueue(make_control_frame(protocol::encode(g)));
  // Replay goes through the same queue and writer as live frames, ahead of them.
  replay_left_ += plan.replay.size();
  for (auto& f : plan.replay) enqueue(std::move(f));
}

void ws_session::on_ack(const protocol::ack& a) {
  server_metrics::bump(metrics_.acks_received);
  if (a.seq > last_acked_.load(std::memory_order_relaxed)) last_acked_.store(a.seq, std::memory_order_relaxed);
  const auto now = now_us();
  last_ack_at_.store(now, std::memory_order_relaxed);
  if (!spdlog::should_log(spdlog::level::info)) return;
  receipts_.on_ack(name_.empty() ? peer_ : name_, a.seq, hub_.stamp(a.seq), now);
}

void ws_session::on_bad_message(const protocol::decode_error& e) {
  ++bad_messages_;
  server_metrics::bump(metrics_.bad_messages);
  if (bad_messages_ <= bad_messages_logged)
    spdlog::warn("{}: bad message ({}): {}{}", name_.empty() ? peer_ : name_, e.code, e.message,
                 bad_messages_ == bad_messages_logged ? "; further ones are only counted" : "");
  if (bad_messages_ >= bad_messages_tolerated) {
    metrics_.drop(drop_reason::bad_messages);
    return do_close(close_code::policy, "too many bad messages");
  }
  enqueue(make_control_frame(protocol::encode(protocol::error{e.code, e.message})));
}

void ws_session::deliver(const frame_ptr& f) {
  if (closing_ || f->seq < first_live_) return;
  if (queued() - replay_left_ >= limits_.max_queue) {
    spdlog::warn("{} is too slow: {} messages queued, closing", name_.empty() ? peer_ : name_, queued());
    metrics_.drop(drop_reason::slow);
    return do_close(close_code::try_later, "slow consumer");
  }
  enqueue(f);
}

void ws_session::enqueue(frame_ptr f) {
  if (closing_) return;
  queue_.push_back(std::move(f));
  queued_.store(queued(), std::memory_order_relaxed);
  if (batch_.empty()) do_write();
}

// Everything waiting goes out in one write: a session that fell behind
// catches up in a few syscalls, not one per message.
void ws_session::do_write() {
  batch_.swap(queue_);
  ws_.next_layer().async_write_frames(frame_run{&batch_, binary_},
                                      beast::bind_front_handler(&ws_session::on_write, shared_from_this()));
}

void ws_session::on_write(beast::error_code ec, std::size_t) {
  if (ec) return fail(ec, "write");
  server_metrics::bump(metrics_.messages_sent, batch_.size());
  server_metrics::bump(metrics_.bytes_sent, bytes_of(batch_, binary_));
  replay_left_ -= std::min(replay_left_, batch_.size());
  batch_.clear();
  if (batch_.capacity() > queue_capacity_kept) batch_ = {};
  queued_.store(queued(), std::memory_order_relaxed);
  if (!queue_.empty() && !closing_) do_write();
}

void ws_session::do_keepalive() {
  const auto silent = std::chrono::steady_clock::now() - last_rx_;
  if (silent >= limits_.ping_interval + limits_.ping_timeout) {
    spdlog::warn("{}: no answer for {} s, dropping", name_.empty() ? peer_ : name_,
                 std::chrono::duration_cast<std::chrono::seconds>(silent).count());
    metrics_.drop(drop_reason::timeout);
    return abort();
  }
  if (silent >= limits_.ping_interval && !pinged_) {
    pinged_ = true;
    ws_.async_ping({}, [self = shared_from_this()](beast::error_code) {});
  }
  timer_.expires_at(last_rx_ + limits_.ping_interval + (pinged_ ? limits_.ping_timeout : decltype(silent){}));
  timer_.async_wait(beast::bind_front_handler(&ws_session::on_keepalive, shared_from_this()));
}

void ws_session::on_keepalive(beast::error_code ec) {
  if (ec == net::error::operation_aborted) return;
  if (closing_) return abort();  // the closing handshake did not finish in time
  do_keepalive();
}

void ws_session::close(std::uint16_t code, std::string reason) {
  net::post(ws_.get_executor(),
            [self = shared_from_this(), code, reason = std::move(reason)]() mutable { self->do_close(code, std::move(reason)); });
}

void ws_session::do_close(std::uint16_t code, std::string reason) {
  if (closing_) return;
  closing_ = true;
  // A peer that stopped reading never lets the close frame out: bound the wait.
  timer_.expires_after(limits_.handshake_timeout);
  timer_.async_wait(beast::bind_front_handler(&ws_session::on_keepalive, shared_from_this()));
  ws_.async_close(websocket::close_reason(static_cast<websocket::close_code>(code), reason),
                  beast::bind_front_handler(&ws_session::on_close, shared_from_this()));
}

void ws_session::on_close(beast::error_code ec) {
  timer_.cancel();
  if (ec) fail(ec, "close");
}

void ws_session::abort() {
  closing_ = true;
  timer_.cancel();
  beast::error_code ignored;
  auto& socket = ws_.next_layer().next_layer();
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

client_info ws_session::info() const {
  client_info i;
  {
    std::lock_guard lock(name_mutex_);
    i.name = name_;
  }
  i.address = peer_;
  i.connected_since = connected_since_;
  i.last_acked = last_acked_.load(std::memory_order_relaxed);
  i.last_ack_at = last_ack_at_.load(std::memory_order_relaxed);
  i.queued = queued_.load(std::memory_order_relaxed);
  return i;
}

void ws_session::fail(beast::error_code ec, const char* what) {
  timer_.cancel();
  if (ec == websocket::error::message_too_big) metrics_.drop(drop_reason::too_big);
  const auto& who = name_.empty() ? peer_ : name_;
  if (ec == net::error::operation_aborted || ec == websocket::error::closed || ec == net::error::eof ||
      ec == net::error::connection_reset || ec == net::error::bad_descriptor)
    spdlog::debug("{}: {}: {}", who, what, ec.message());
  else
    spdlog::warn("{}: {}: {}", who, what, ec.message());
}

}  // namespace arraycast
