#include "server/publish_session.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/close_codes.hpp"

namespace arraycast {

namespace {

// The metric label of a message that does not decode.
reject_reason reason_of(const protocol::publish_error& e) {
  if (e.code == "bad_value") return reject_reason::bad_value;
  if (e.code == "too_many_values") return reject_reason::too_many_values;
  return reject_reason::not_a_packet;
}

}  // namespace

publish_session::publish_session(loop_transport&& stream, connection_slot slot, publish_source::claim claim,
                                 const session_limits& limits)
    : slot_(std::move(slot)), ws_(std::move(stream)), expiry_(ws_.get_executor()), claim_(std::move(claim)), limits_(limits),
      peer_(ws_.next_layer().peer()) {}

publish_session::~publish_session() {
  spdlog::info("producer {} ({}) disconnected after {} packets", producer_.empty() ? "-" : producer_, peer_, accepted_);
}

void publish_session::run(http::request<http::string_body> req) {
  slot_.on_stop(ws_.get_executor(), [weak = weak_from_this()] {
    if (auto self = weak.lock()) self->stop();
  });
  claim_->on_ack([weak = weak_from_this()](std::string_view producer, std::uint64_t pseq, std::uint64_t seq) {
    if (auto self = weak.lock())
      net::post(self->ws_.get_executor(), [self, producer = std::string(producer), pseq, seq] {
        self->on_published(producer, pseq, seq);
      });
  });
  // A producer that vanished without a close must not hold the source for
  // long: the next one is refused until it is dropped.
  const auto silence = limits_.ping_interval + limits_.ping_timeout;
  ws_.set_option(websocket::stream_base::timeout{limits_.handshake_timeout, silence, true});
  ws_.read_message_max(limits_.max_publish_message);
  ws_.async_accept(req, beast::bind_front_handler(&publish_session::on_accept, shared_from_this()));
}

void publish_session::on_accept(beast::error_code ec) {
  if (ec) return fail(ec, "accept");
  open_ = true;
  spdlog::info("producer connected from {}", peer_);
  do_read();
  if (!expires_) return;
  expiry_.expires_at(*expires_);
  expiry_.async_wait(beast::bind_front_handler(&publish_session::on_expiry, shared_from_this()));
}

// Its packets so far stay published; from now on it would publish without a right to.
void publish_session::on_expiry(beast::error_code ec) {
  if (ec || !open_) return;  // cancelled, or the session is ending anyway
  open_ = false;
  spdlog::info("producer {} ({}): its token expired, closing with {}", producer_.empty() ? "-" : producer_, peer_,
               close_code::token_expired);
  ws_.async_close(websocket::close_reason(static_cast<websocket::close_code>(close_code::token_expired), "token expired"),
                  [self = shared_from_this()](beast::error_code e) {
                    if (e) spdlog::debug("producer close: {}", e.message());
                  });
}

void publish_session::do_read() {
  ws_.async_read(buffer_, beast::bind_front_handler(&publish_session::on_read, shared_from_this()));
}

void publish_session::on_read(beast::error_code ec, std::size_t) {
  if (ec) return fail(ec, "read");
  if (!claim_) return;  // a write failed meanwhile: the connection is over
  const auto data = buffer_.cdata();
  if (ws_.got_text()) on_message(std::string_view(static_cast<const char*>(data.data()), data.size()));
  else
    refuse(reject_reason::not_a_packet,
           {"unsupported", "binary publish messages are not supported: send JSON text", std::nullopt});
  buffer_.consume(buffer_.size());
  if (replies_.size() >= max_replies) paused_ = true;
  else do_read();
}

void publish_session::on_message(std::string_view text) {
  auto msg = protocol::decode_producer(text);
  if (auto* e = std::get_if<protocol::publish_error>(&msg)) {
    const auto reason = reason_of(*e);  // before *e is moved from
    return refuse(reason, std::move(*e));
  }
  auto& m = std::get<protocol::publish>(msg);
  if (producer_.empty()) {
    producer_ = m.producer;
    spdlog::info("{} publishes as producer {}", peer_, producer_);
  }
  if (m.producer != producer_)
    return reply(protocol::encode(protocol::publish_error{
        "wrong_producer", "this connection publishes as producer " + producer_ + "; one producer id per connection",
        m.pseq}));
  ++accepted_;
  if (auto e = claim_->submit(std::move(m))) reply(protocol::encode(*e));
}

// Acks for another producer id (a previous producer's packets, published
// after it left) are not this producer's business.
void publish_session::on_published(const std::string& producer, std::uint64_t pseq, std::uint64_t seq) {
  if (producer == producer_ && open_) reply(protocol::encode(protocol::published{pseq, seq}));
}

void publish_session::refuse(reject_reason reason, protocol::publish_error e) {
  claim_->rejected(reason, fmt::format("producer {} ({}): {}", producer_.empty() ? "-" : producer_, peer_, e.message));
  reply(protocol::encode(e));
}

void publish_session::reply(std::string text) {
  replies_.push_back(std::move(text));
  if (replies_.size() == 1) do_write();
}

void publish_session::do_write() {
  ws_.text(true);
  ws_.async_write(net::buffer(replies_.front()),
                  beast::bind_front_handler(&publish_session::on_write, shared_from_this()));
}

void publish_session::on_write(beast::error_code ec, std::size_t) {
  if (ec) return fail(ec, "write");
  replies_.pop_front();
  if (!replies_.empty()) do_write();
  if (paused_ && replies_.size() < max_replies / 2) {
    paused_ = false;
    do_read();
  }
}

// Expected ends (the producer closed, shutdown) are debug; the rest warn.
void publish_session::fail(beast::error_code ec, const char* what) {
  open_ = false;
  expiry_.cancel();  // it holds the session: without this, until the token's exp
  if (!claim_) return;  // the other handler's failure came first
  if (ec == websocket::error::message_too_big)
    claim_->rejected(reject_reason::too_long, fmt::format("producer {} ({}): a message over --max-publish-message ({} "
                                                         "bytes); closed with 1009",
                                                         producer_.empty() ? "-" : producer_, peer_,
                                                         limits_.max_publish_message));
  // The next producer need not wait for this session's last handlers.
  claim_.reset();
  if (ec == websocket::error::closed || ec == net::error::operation_aborted)
    return spdlog::debug("producer {}: {}: {}", peer_, what, ec.message());
  spdlog::warn("producer {}: {}: {}", peer_, what, ec.message());
}

// Shutdown: going away (1001) once upgraded, the socket cut before that.
void publish_session::stop() {
  expiry_.cancel();
  if (!open_) return ws_.next_layer().close();
  open_ = false;
  ws_.async_close(websocket::close_code::going_away, [self = shared_from_this()](beast::error_code ec) {
    if (ec) spdlog::debug("producer close: {}", ec.message());
  });
}

}  // namespace arraycast
