#include "client/publisher.hpp"

#include <spdlog/spdlog.h>

#include "client/bearer.hpp"
#include "core/clock.hpp"
#include "core/close_codes.hpp"
#include "core/protocol.hpp"

namespace arraycast {

namespace {

// Drops and rejections logged one by one, then one line per this many.
constexpr std::uint64_t logged_one_by_one = 10;
constexpr std::uint64_t logged_every = 1000;

bool worth_logging(std::uint64_t n) { return n <= logged_one_by_one || n % logged_every == 0; }

}  // namespace

// One connection's socket and the state its two coroutines share.
struct publisher::connection {
  connection(net::any_io_executor ex, const ws_endpoint& to, const client_tls_options& tls)
      : ws(make_client_ws(ex, to, tls)), names(ex) {}
  client_ws ws;
  lookup names;
  bool open = false;     // the handshake succeeded
  bool closing = false;  // a close was asked for
  bool over = false;     // the reader has ended: the writer stops too
};

publisher::publisher(net::io_context& ioc, const publish_config& config)
    : ex_(ioc.get_executor()), config_(config), buffer_(config.buffer),
      failover_(config.to.size(), 0, backoff(config.backoff_initial, config.backoff_max, uniform_jitter())),
      retry_timer_(ioc), wake_(ioc) {}

publisher::~publisher() = default;

net::awaitable<int> publisher::run() {
  for (;;) {
    const auto started = std::chrono::steady_clock::now();
    const auto& url = config_.to[failover_.current()].url;
    const auto end = co_await attempt();
    if (done()) co_return 0;
    if (stopping_) co_return buffer_.empty() ? 0 : 1;
    spdlog::warn("{} {}: {}", end.connected ? "lost connection to" : "cannot connect to", url, end.reason);
    if (!end.retry) {
      spdlog::error("giving up: {}", end.reason);
      co_return 1;
    }
    // A connection that held for a while proves the server is back: start the backoff over.
    if (end.connected && std::chrono::steady_clock::now() - started > config_.backoff_max) failover_.reset();
    const auto delay = failover_.next(end.connected);
    spdlog::info("reconnecting in {} ms ({} packets unacknowledged), to {}", delay.count(), buffer_.size(),
                 config_.to[failover_.current()].url);
    retry_timer_.expires_after(delay);
    boost::system::error_code ec;
    co_await retry_timer_.async_wait(net::redirect_error(net::use_awaitable, ec));
    if (done()) co_return 0;
    if (stopping_) co_return buffer_.empty() ? 0 : 1;
  }
}

// One connection: the writer sends what is held, the reader settles it.
net::awaitable<connection_end> publisher::attempt() {
  const auto& to = config_.to[failover_.current()];
  auto c = std::make_shared<connection>(ex_, to, config_.tls);
  current_ = c;
  websocket::response_type res;
  connection_end end;
  try {
    // A std::function, not a lambda converted at the call: a temporary must
    // not be what ws_dial's frame refers to across its suspensions.
    const std::function<void()> check = [&c] {
      if (c->closing) throw boost::system::system_error(net::error::operation_aborted, "publisher stopping");
    };
    send_token(c->ws, config_.token);
    co_await ws_dial(c->ws, c->names, to, config_.tls, config_.connect_timeout, check, res);
    c->open = true;
    c->ws.set_option(websocket::stream_base::timeout{config_.connect_timeout, config_.idle_timeout, true});
    c->ws.text(true);
    c->ws.read_message_max(max_reply);
    spdlog::info("connected to {} as producer {}; {} packets to (re)send", to.url, config_.producer,
                 buffer_.size());
    buffer_.resend_all();
    net::co_spawn(ex_, write_packets(c), net::detached);
    finish_if_done();
    co_await read_replies(*c);
  } catch (const boost::system::system_error& e) {
    end = how_it_ended(e, *c, res);
  }
  c->over = true;
  wake_.cancel();
  beast::error_code ignored;
  beast::get_lowest_layer(c->ws).socket().close(ignored);
  current_.reset();
  co_return end;
}

connection_end publisher::how_it_ended(const boost::system::system_error& e, const connection& c,
                                       const websocket::response_type& res) const {
  if (e.code() == websocket::error::upgrade_declined) {
    const auto why = fmt::format("the server answered {} {}: {}", res.result_int(), std::string(res.reason()),
                                 res.body().substr(0, res.body().find('\n')));
    // 403: publishing is off there (or the token lacks 'publish'), 401: the token is refused;
    // either way the next try would be answered the same.
    const bool final = res.result() == http::status::forbidden || res.result() == http::status::unauthorized;
    return {false, !final, why};
  }
  if (e.code() == websocket::error::closed) {
    const auto& r = c.ws.reason();
    const auto why = fmt::format("the server closed the connection ({} {})", static_cast<unsigned>(r.code),
                                 std::string_view(r.reason.data(), r.reason.size()));
    // 1009: a message over the server's --max-publish-message would be refused again.
    return {true, r.code != websocket::close_code::too_big && close_code::should_reconnect(r.code), why};
  }
  return {c.open, true, failure_text(e)};
}

net::awaitable<void> publisher::read_replies(connection& c) {
  beast::flat_buffer buf;
  for (;;) {
    co_await c.ws.async_read(buf, net::use_awaitable);
    const auto data = buf.cdata();
    on_reply(std::string_view(static_cast<const char*>(data.data()), data.size()));
    buf.consume(buf.size());
  }
}

// Sends each held packet once, in order; waits on wake_ when all are sent.
net::awaitable<void> publisher::write_packets(std::shared_ptr<connection> c) {
  try {
    while (!c->over) {
      if (auto m = buffer_.next_unsent()) {
        co_await c->ws.async_write(net::buffer(*m), net::use_awaitable);
        continue;
      }
      wake_.expires_at(net::steady_timer::time_point::max());
      boost::system::error_code ec;
      co_await wake_.async_wait(net::redirect_error(net::use_awaitable, ec));
    }
  } catch (const boost::system::system_error& e) {
    // The reader sees the same end, and reports it.
    spdlog::debug("publish write: {}", e.code().message());
    beast::error_code ignored;
    beast::get_lowest_layer(c->ws).socket().close(ignored);
  }
}

void publisher::on_reply(std::string_view text) {
  auto reply = protocol::decode_publish_reply(text);
  if (const auto* p = std::get_if<protocol::published>(&reply)) {
    if (buffer_.settle(p->pseq)) ++acked_;
    return finish_if_done();
  }
  if (const auto* e = std::get_if<protocol::publish_error>(&reply)) {
    if (!e->pseq) return spdlog::warn("the server reports an error ({}): {}", e->code, e->message);
    // Sending it again would be refused again.
    if (buffer_.settle(*e->pseq)) ++refused_;
    spdlog::warn("the server refused packet {} ({}): {}; dropped", *e->pseq, e->code, e->message);
    return finish_if_done();
  }
  const auto& bad = std::get<protocol::decode_error>(reply);
  spdlog::warn("ignoring a message from the server ({}): {}", bad.code, bad.message);
}

// Room again: a waiting source may go on.
void publisher::finish_if_done() {
  if (waiting_ && !buffer_.full()) net::post(ex_, std::exchange(waiting_, nullptr));
  if (!done()) return;
  retry_timer_.cancel();
  if (!current_ || !current_->open || current_->closing) return;
  current_->closing = true;
  spdlog::info("the source has ended and every packet is acknowledged; closing");
  current_->ws.async_close(static_cast<websocket::close_code>(close_code::normal), [](beast::error_code) {});
}

void publisher::take(source_packet p) {
  if (stopping_) return;  // not read: the source was stopped
  const auto pseq = ++read_;
  if (buffer_.full()) return drop(pseq, "the buffer of unacknowledged packets is full (--buffer)");
  auto text = protocol::encode(protocol::publish{config_.producer, pseq, std::move(p.arrays), p.ts.value_or(now_us())});
  if (text.size() > config_.max_message) return drop(pseq, "its message is over --max-message");
  buffer_.add(pseq, std::move(text));
  wake_.cancel();
}

void publisher::drop(std::uint64_t pseq, const char* why) {
  if (worth_logging(++dropped_))
    spdlog::warn("dropped packet {}: {}; {} dropped so far, which the server announces as lost", pseq, why, dropped_);
}

void publisher::push(source_packet p) {
  net::post(ex_, [this, p = std::move(p)]() mutable { take(std::move(p)); });
}

// The pseqs are used up: the server sees the hole and announces it.
void publisher::lost(std::uint64_t count, std::string reason) {
  net::post(ex_, [this, count, reason = std::move(reason)] {
    read_ += count;
    spdlog::warn("the source lost {} packets ({}); the server announces them as lost", count, reason);
  });
}

void publisher::rejected(reject_reason reason, std::string_view detail) {
  net::post(ex_, [this, reason, detail = std::string(detail)] {
    if (worth_logging(++rejected_))
      spdlog::warn("input rejected ({}): {}", reject_reason_names[static_cast<std::size_t>(reason)], detail);
  });
}

void publisher::ended() {
  net::post(ex_, [this] {
    ended_ = true;
    spdlog::info("the source has ended after {} packets; {} await acknowledgement", read_, buffer_.size());
    finish_if_done();
  });
}

void publisher::when_ready(std::function<void()> next) {
  net::post(ex_, [this, next = std::move(next)]() mutable {
    if (stopping_) return;  // a waiting source waits for good
    if (buffer_.full()) waiting_ = std::move(next);
    else net::post(ex_, std::move(next));
  });
}

// The first call takes no more packets and, while connected, waits up to
// drain_limit for the acks of what was sent; a later one cuts at once.
void publisher::stop() {
  const bool again = std::exchange(stopping_, true);
  ended_ = true;
  retry_timer_.cancel();
  if (!current_) return;
  if (again || !current_->open) return cut(*current_);
  finish_if_done();
  retry_timer_.expires_after(drain_limit);
  retry_timer_.async_wait([this, c = std::weak_ptr(current_)](beast::error_code ec) {
    const auto conn = c.lock();
    if (ec || !conn || conn->closing) return;
    spdlog::warn("{} packets still unacknowledged after {} s; closing", buffer_.size(),
                 std::chrono::duration_cast<std::chrono::seconds>(drain_limit).count());
    conn->closing = true;
    conn->ws.async_close(static_cast<websocket::close_code>(close_code::normal), [](beast::error_code) {});
  });
}

void publisher::cut(connection& c) {
  c.closing = true;
  c.names.abandon();
  beast::error_code ignored;
  beast::get_lowest_layer(c.ws).socket().close(ignored);
}

std::string publisher::summary() const {
  return fmt::format("read {} packets: {} acknowledged, {} dropped here, {} refused by the server, {} unacknowledged",
                     read_, acked_, dropped_, refused_, buffer_.size());
}

}  // namespace arraycast
