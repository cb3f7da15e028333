#include "server/ws_session.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>

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

// The kernel's backstop for a peer that vanished without a FIN while data is
// in flight: unacknowledged this long, the connection errors out.
void set_user_timeout(loop_socket& s, std::chrono::microseconds timeout) {
  using user_timeout = net::detail::socket_option::integer<IPPROTO_TCP, TCP_USER_TIMEOUT>;
  beast::error_code ignored;
  s.set_option(user_timeout(static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count())),
               ignored);
}

bool is_expected_end(beast::error_code ec) {
  return ec == net::error::operation_aborted || ec == websocket::error::closed || ec == net::error::eof ||
         ec == net::error::connection_reset || ec == net::error::bad_descriptor || ec == net::error::broken_pipe;
}

}  // namespace

ws_session::ws_session(loop_transport&& stream, connection_slot slot, hub& h, const session_limits& limits)
    : hub_(h), metrics_(h.metrics()), limits_(limits), peer_(stream.peer()),
      stats_(std::make_shared<session_stats>(peer_, now_us())),
      slot_(std::move(slot)),
      ws_(std::move(stream)),
      timer_(ws_.get_executor()),
      expiry_(ws_.get_executor()),
      keepalive_(limits.ping_interval, limits.ping_timeout),
      receipts_(limits.receipts) {
  set_user_timeout(ws_.next_layer().socket(), limits_.ping_interval + limits_.ping_timeout);
}

ws_session::~ws_session() {
  hub_.leave(this);
  receipts_.flush(who(), now_us());
  spdlog::info("{} disconnected", name_.empty() ? peer_ : name_ + " (" + peer_ + ")");
}

void ws_session::authorize(const auth::identity& who) {
  subject_ = who.name;
  if (!subject_.empty()) stats_->set_name(subject_);
  expires_ = who.expires;
}

void ws_session::run(http::request<http::string_body> req, std::optional<protocol::hello> greeting) {
  ws_.set_option(websocket::stream_base::timeout{
      limits_.handshake_timeout, websocket::stream_base::none(), false});
  ws_.read_message_max(limits_.max_message);
  ws_.control_callback([this](websocket::frame_type kind, beast::string_view) { on_control(kind); });
  // The URL's hello travels with the handler: no session member holds it for life.
  ws_.async_accept(req, beast::bind_front_handler(&ws_session::on_accept, shared_from_this(), std::move(greeting)));
}

void ws_session::on_accept(const std::optional<protocol::hello>& greeting, beast::error_code ec) {
  if (ec) return fail(ec, "accept");
  spdlog::info("{} connected", peer_);
  server_metrics::bump(metrics_.connections);
  hub_.join(shared_from_this());
  keepalive_.start(keepalive::clock::now());
  auto welcome = hub_.welcome();
  welcome.subscribed = greeting.has_value();
  enqueue(make_control_frame(protocol::encode(welcome)), true);
  hello_due_ = keepalive::clock::now() + limits_.hello_wait;
  if (greeting) subscribe(*greeting);
  do_keepalive();
  do_read();
  if (!expires_) return;
  expiry_.expires_at(*expires_);
  expiry_.async_wait(beast::bind_front_handler(&ws_session::on_expiry, shared_from_this()));
}

void ws_session::on_expiry(beast::error_code ec) {
  if (ec) return;  // cancelled: the session ended first
  spdlog::info("{}: its token expired, closing with {}", who(), close_code::token_expired);
  close(close_code::token_expired, "token expired");
}

// Reads at most read_chunk bytes at a time: a whole-message read would make
// Beast reserve 1.5 KiB in buffer_ up front, on every idle connection, where
// the protocol's messages (hello, ack) fit in a few dozen bytes.
void ws_session::do_read() {
  ws_.async_read_some(buffer_, read_chunk, beast::bind_front_handler(&ws_session::on_read, shared_from_this()));
}

void ws_session::on_read(beast::error_code ec, std::size_t) {
  if (ec) return fail(ec, "read");
  keepalive_.received(keepalive::clock::now());
  if (!ws_.is_message_done()) return do_read();  // Beast still enforces read_message_max
  const auto data = buffer_.cdata();
  if (ws_.got_text()) on_message(std::string_view(static_cast<const char*>(data.data()), data.size()));
  else on_bad_message({"bad_message", "binary messages are not part of the protocol"});
  buffer_.consume(buffer_.size());
  do_read();
}

void ws_session::on_control(websocket::frame_type kind) {
  const auto now = keepalive::clock::now();
  if (kind == websocket::frame_type::pong) keepalive_.pong(now);
  else keepalive_.received(now);
}

void ws_session::on_message(std::string_view text) {
  auto msg = protocol::decode_client(text);
  if (auto* h = std::get_if<protocol::hello>(&msg)) return on_hello(*h);
  if (auto* a = std::get_if<protocol::ack>(&msg)) return on_ack(*a);
  on_bad_message(std::get<protocol::decode_error>(msg));
}

// A hello that comes after the stream started cannot be honoured: its replay
// would follow live packets.
void ws_session::on_hello(const protocol::hello& h) {
  if (phase_ == phase::waiting) return subscribe(h);
  if (phase_ == phase::greeted) return on_bad_message({"bad_message", "hello was already received"});
  on_bad_message({"bad_message", fmt::format("the stream already started: a hello must come within {} ms of the "
                                             "welcome, or ride in the URL (?name=…&epoch=…&last_seq=…)",
                                             std::chrono::duration_cast<std::chrono::milliseconds>(limits_.hello_wait).count())});
}

// `h.name` is empty for a plain client, which goes by its address.
void ws_session::subscribe(const protocol::hello& h) {
  phase_ = h.name.empty() ? phase::plain : phase::greeted;
  name_ = subject_.empty() ? h.name : subject_;
  if (!name_.empty()) stats_->set_name(name_);
  auto plan = hub_.subscribe(shared_from_this(), h);
  first_live_ = plan.first_live;
  binary_ = h.enc == protocol::encoding::binary;
  if (phase_ == phase::plain) return spdlog::info("{} sent no hello: streaming live packets to it", who());
  spdlog::info("{} ({}) said hello{}{}", name_, peer_, binary_ ? " (binary packets)" : "",
               h.epoch ? fmt::format(", resuming after packet {}: {} to replay", *h.last_seq, plan.replay.size())
                       : "");
  for (const auto& g : plan.gaps) enqueue(make_control_frame(protocol::encode(g)), true);
  if (plan.archived) fetch_archived(*plan.archived);
  // Replay goes through the same queue and writer as live frames, ahead of them.
  for (auto& f : plan.replay) enqueue(std::move(f), true);
}

// Writing pauses (after the batch in flight) until the archive answers;
// meanwhile replay and live frames queue up behind the archived ones' place.
void ws_session::fetch_archived(const protocol::gap& range) {
  archived_at_ = queue_.position();
  hub_.archived()->fetch(range.from, range.to.value_or(range.from), [self = shared_from_this()](auto frames) {
    net::post(self->loop(), [self, frames = std::move(frames)] { self->on_archived(frames); });
  });
}

void ws_session::on_archived(const std::vector<frame_ptr>& frames) {
  if (closing_) return;
  queue_.insert(*std::exchange(archived_at_, std::nullopt), frames);
  stats_->set_queued(queue_.size());
  if (!queue_.writing()) do_write();
}

void ws_session::on_ack(const protocol::ack& a) {
  server_metrics::bump(metrics_.acks_received);
  const auto now = now_us();
  stats_->acked(a.seq, now);
  if (!spdlog::should_log(spdlog::level::info)) return;
  receipts_.on_ack(who(), a.seq, hub_.stamp(a.seq), now);
}

void ws_session::on_bad_message(const protocol::decode_error& e) {
  ++bad_messages_;
  server_metrics::bump(metrics_.bad_messages);
  if (bad_messages_ <= bad_messages_logged)
    spdlog::warn("{}: bad message ({}): {}{}", who(), e.code, e.message,
                 bad_messages_ == bad_messages_logged ? "; further ones are only counted" : "");
  if (bad_messages_ >= bad_messages_tolerated) {
    metrics_.drop(drop_reason::bad_messages);
    return close(close_code::policy, "too many bad messages");
  }
  enqueue(make_control_frame(protocol::encode(protocol::error{e.code, e.message})), true);
}

void ws_session::deliver(const frame_ptr& f) {
  if (closing_ || f->seq < first_live_) return;
  if (queue_.live() >= limits_.max_queue) {
    spdlog::warn("{} is too slow: {} messages queued, closing", who(), queue_.size());
    metrics_.drop(drop_reason::slow);
    return close(close_code::try_later, "slow consumer");
  }
  enqueue(f, false);
}

// `exempt`: owed to the client whatever its speed (see send_queue).
void ws_session::enqueue(frame_ptr f, bool exempt) {
  if (closing_) return;
  queue_.push(std::move(f), exempt);
  stats_->set_queued(queue_.size());
  if (!queue_.writing() && !archived_at_) do_write();
}

// Everything waiting goes out in one write: a session that fell behind
// catches up in a few syscalls, not one per message.
void ws_session::do_write() {
  ws_.next_layer().async_write_frames(frame_run{&queue_.start_batch(), binary_},
                                      beast::bind_front_handler(&ws_session::on_write, shared_from_this()));
}

void ws_session::on_write(beast::error_code ec, std::size_t) {
  if (ec == websocket::error::closed) return;  // after Beast's close frame: its read or close ends the session
  if (ec) return fail(ec, "write");
  server_metrics::bump(metrics_.messages_sent, queue_.batch().size());
  server_metrics::bump(metrics_.bytes_sent, bytes_of(queue_.batch(), binary_));
  queue_.finish_batch();
  stats_->set_queued(queue_.size());
  if (queue_.has_waiting() && !closing_ && !archived_at_) do_write();
}

void ws_session::do_keepalive() {
  if (phase_ == phase::waiting && keepalive::clock::now() >= hello_due_) subscribe(protocol::hello{});
  switch (keepalive_.check(keepalive::clock::now())) {
    case keepalive::action::give_up:
      spdlog::warn("{}: ping not answered within {} ms, dropping", who(),
                   std::chrono::duration_cast<std::chrono::milliseconds>(keepalive_.timeout()).count());
      metrics_.drop(drop_reason::timeout);
      return abort();
    case keepalive::action::ping:
      ws_.async_ping({}, beast::bind_front_handler(&ws_session::on_ping, shared_from_this()));
      break;
    case keepalive::action::wait:
      break;
  }
  const auto next = keepalive_.next_check();
  timer_.expires_at(phase_ == phase::waiting ? std::min(next, hello_due_) : next);
  timer_.async_wait(beast::bind_front_handler(&ws_session::on_keepalive, shared_from_this()));
}

void ws_session::on_keepalive(beast::error_code ec) {
  if (ec == net::error::operation_aborted || aborted_) return;
  if (closing_) {
    spdlog::debug("{}: the close did not complete in time", who());
    return abort();
  }
  do_keepalive();
}

// A ping refused during a close is not an error: the pong deadline still
// bounds a close the peer never completes.
void ws_session::on_ping(beast::error_code ec) {
  keepalive_.ping_written();
  if (ec && ec != websocket::error::closed && ec != net::error::operation_aborted) fail(ec, "ping");
}

void ws_session::close(std::uint16_t code, std::string reason) {
  if (closing_ || aborted_) return;
  closing_ = true;
  // A peer that stopped reading never lets the close frame out: bound the wait.
  timer_.expires_after(limits_.handshake_timeout);
  timer_.async_wait(beast::bind_front_handler(&ws_session::on_keepalive, shared_from_this()));
  ws_.async_close(websocket::close_reason(static_cast<websocket::close_code>(code), reason),
                  beast::bind_front_handler(&ws_session::on_close, shared_from_this()));
}

// Done or failed, nothing follows a close: whatever Beast left open goes.
void ws_session::on_close(beast::error_code ec) {
  if (ec) fail(ec, "close");
  abort();
}

// A reset, not a FIN: a FIN would wait behind unsent data in a window the
// peer never opens, in an orphaned socket the kernel keeps for minutes.
void ws_session::abort() {
  if (aborted_) return;
  aborted_ = closing_ = true;
  timer_.cancel();
  expiry_.cancel();
  auto& socket = ws_.next_layer().socket();
  if (!socket.is_open()) return;
  beast::error_code ignored;
  socket.set_option(net::socket_base::linger(true, 0), ignored);
  socket.close(ignored);
}

// Every error ends the session: the socket is aborted, so nothing that is
// still pending (a stalled write, a close) can hold it.
void ws_session::fail(beast::error_code ec, const char* what) {
  if (ec == websocket::error::message_too_big) metrics_.drop(drop_reason::too_big);
  if (is_expected_end(ec)) spdlog::debug("{}: {}: {}", who(), what, ec.message());
  else spdlog::warn("{}: {}: {}", who(), what, ec.message());
  abort();
}

}  // namespace arraycast
