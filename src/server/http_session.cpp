#include "server/http_session.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "core/hello_query.hpp"
#include "server/admission.hpp"
#include "server/echo_session.hpp"
#include "server/http_routes.hpp"
#include "server/hub.hpp"
#include "server/publish_session.hpp"
#include "server/ws_session.hpp"

namespace arraycast {

namespace {

// Requests are small GETs and upgrades; anything bigger is not for us.
constexpr std::uint64_t max_request_body = 8 * 1024;

// 429 for a client that comes too often, 503 for an address that has all its clients.
http::response<http::string_body> refusal_response(const http::request<http::string_body>& req,
                                                   const address_limits::refusal& r) {
  const bool rate = r.reason == address_refusal::rate;
  auto res = text_response(req, rate ? http::status::too_many_requests : http::status::service_unavailable,
                           rate ? "too many connections from your address, slow down\n"
                                : "too many clients from your address, try again later\n");
  const auto seconds = std::chrono::ceil<std::chrono::seconds>(r.retry_after).count();
  res.set(http::field::retry_after, std::to_string(std::max<std::int64_t>(seconds, 1)));
  res.keep_alive(false);
  return res;
}

}  // namespace

http_session::http_session(loop_transport&& stream, connection_slot slot, hub& h, http_routes& routes,
                           publish_source* producers, address_limits& addresses, const server_config& config)
    : slot_(std::move(slot)), stream_(std::move(stream)), deadline_(stream_.get_executor()), hub_(h), routes_(routes),
      producers_(producers), addresses_(addresses), config_(config) {}

void http_session::run() {
  slot_.on_stop(stream_.get_executor(), [weak = weak_from_this()] {
    if (auto self = weak.lock()) self->stop();
  });
  if (!stream_.secure()) return do_read();
  arm_deadline(config_.limits.handshake_timeout);
  stream_.async_handshake(net::ssl::stream_base::server,
                          beast::bind_front_handler(&http_session::on_handshake, shared_from_this()));
}

// A plain-text client on a TLS port ends here, like any failed handshake:
// quietly, since a scanner could otherwise fill the log.
void http_session::on_handshake(beast::error_code ec) {
  if (ec) {
    spdlog::debug("TLS handshake with {}: {}", stream_.peer(), ec.message());
    return stream_.close();
  }
  do_read();
}

// The timer holds no reference: the pending operation it cuts does.
void http_session::arm_deadline(std::chrono::microseconds after) {
  deadline_.expires_after(after);
  deadline_.async_wait([weak = weak_from_this()](beast::error_code ec) {
    if (auto self = weak.lock(); self && !ec) self->on_deadline();
  });
}

void http_session::on_deadline() {
  if (handed_over_) return;
  // After a response this is an idle keep-alive connection (a dashboard between polls).
  if (answered_) spdlog::debug("closing an idle HTTP connection");
  else spdlog::info("dropping a connection that did not complete its handshake in time");
  stream_.close();
}

void http_session::do_read() {
  parser_.emplace();
  parser_->body_limit(max_request_body);
  // Covers a client that connects and then says nothing, or half a request;
  // between requests, the shorter keep-alive idle time.
  const auto& limits = config_.limits;
  const auto idle = std::min(limits.keepalive_idle, limits.handshake_timeout);
  arm_deadline(answered_ ? idle : limits.handshake_timeout);
  http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&http_session::on_read, shared_from_this()));
}

void http_session::on_read(beast::error_code ec, std::size_t) {
  if (ec) {
    if (ec != http::error::end_of_stream) spdlog::debug("http read: {}", ec.message());
    return stream_.close();
  }
  const auto& req = parser_->get();
  auto admitted = admit(routes_.gate(), req, stream_.secure() ? "https" : "http");
  if (auto* refused = std::get_if<http_response>(&admitted)) return respond(std::move(*refused));
  identity_ = std::get<auth::identity>(std::move(admitted));
  if (websocket::is_upgrade(req)) return upgrade();
  respond(routes_(req));
}

void http_session::upgrade() {
  auto req = parser_->release();
  beast::error_code ec;
  const auto peer = stream_.socket().remote_endpoint(ec).address();
  auto admitted = addresses_.try_admit(peer, std::chrono::steady_clock::now());
  if (const auto* no = std::get_if<address_limits::refusal>(&admitted)) return respond(refusal_response(req, *no));
  auto& claim = std::get<address_limits::claim>(admitted);
  if (req.target() == "/echo" && config_.echo) {
    hand_over(std::move(claim));
    return std::make_shared<echo_session>(std::move(stream_), std::move(slot_))->run(std::move(req));
  }
  if (req.target() == "/publish" || req.target().starts_with("/publish?"))
    return upgrade_publish(std::move(req), std::move(claim));
  if (req.target() != "/" && !req.target().starts_with("/?"))
    return respond(text_response(req, http::status::not_found, "the stream is on /\n"));
  auto greeting = protocol::hello_from_query(req.target(), stream_.peer());
  if (const auto* bad = std::get_if<protocol::decode_error>(&greeting))
    return respond(text_response(req, http::status::bad_request, bad->message + "\n"));
  if (!hub_.try_admit()) {
    spdlog::warn("refusing a client: {} connected, the limit (--max-clients)", config_.max_clients);
    server_metrics::bump(hub_.metrics().refused);
    auto res = text_response(req, http::status::service_unavailable, "too many clients, try again later\n");
    res.set(http::field::retry_after, "5");
    res.keep_alive(false);
    return respond(std::move(res));
  }
  hand_over(std::move(claim));
  auto session = std::make_shared<ws_session>(std::move(stream_), std::move(slot_), hub_, config_.limits);
  session->authorize(identity_);
  session->run(std::move(req), std::get<std::optional<protocol::hello>>(std::move(greeting)));
}

// One producer at a time, and only when the operator asked for producers.
void http_session::upgrade_publish(http::request<http::string_body> req, address_limits::claim address) {
  beast::error_code ec;
  const auto peer = stream_.socket().remote_endpoint(ec).address().to_string();
  if (!config_.allow_publish || producers_ == nullptr) {
    spdlog::warn("refusing a producer from {}: publishing is off", peer);
    return respond(text_response(req, http::status::forbidden,
                                 "publishing is off: start the server with --source publish --allow-publish\n"));
  }
  auto claim = producers_->try_claim();
  if (!claim) {
    spdlog::warn("refusing a producer from {}: another producer is connected", peer);
    auto res = text_response(req, http::status::conflict, "another producer is publishing; one at a time\n");
    res.set(http::field::retry_after, "1");
    return respond(std::move(res));
  }
  hand_over(std::move(address));
  auto session = std::make_shared<publish_session>(std::move(stream_), std::move(slot_), std::move(*claim), config_.limits);
  session->expire_at(identity_.expires);
  session->run(std::move(req));
}

// The new owner of the socket decides what shutdown does to it: an echo
// session sets its own action, a stream session is closed by the hub.
// The slot goes with the socket, and with it the client's place in its address's count.
void http_session::hand_over(address_limits::claim claim) {
  slot_.hold(std::move(claim));
  slot_.on_stop({}, nullptr);
  handed_over_ = true;
  deadline_.cancel();
}

// Shutdown: HTTP/1.1 has no orderly close for a connection that is idle or
// half-way through a request, so it is cut.
void http_session::stop() {
  if (handed_over_) return;
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.close();
  deadline_.cancel();
}

void http_session::respond(http::response<http::string_body> res) {
  auto sp = std::make_shared<http::response<http::string_body>>(std::move(res));
  response_ = sp;
  // The last request a keep-alive connection may make: polling cannot hold it forever.
  if (++answered_ >= config_.limits.max_requests) sp->keep_alive(false);
  arm_deadline(config_.limits.handshake_timeout);  // a client that never reads its answer
  http::async_write(stream_, *sp, beast::bind_front_handler(&http_session::on_write, shared_from_this(), sp->keep_alive()));
}

void http_session::on_write(bool keep_alive, beast::error_code ec, std::size_t) {
  response_.reset();
  if (ec) return spdlog::debug("http write: {}", ec.message());
  if (!keep_alive) {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    return;
  }
  do_read();
}

}  // namespace arraycast
