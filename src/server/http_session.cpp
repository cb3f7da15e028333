#include "server/http_session.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

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

}  // namespace

http_session::http_session(tcp::socket&& socket, connection_slot slot, hub& h, http_routes& routes,
                           publish_source* producers, const server_config& config)
    : slot_(std::move(slot)), stream_(std::move(socket)), hub_(h), routes_(routes), producers_(producers),
      config_(config) {}

void http_session::run() {
  slot_.on_stop(stream_.get_executor(), [weak = weak_from_this()] {
    if (auto self = weak.lock()) self->stop();
  });
  do_read();
}

void http_session::do_read() {
  parser_.emplace();
  parser_->body_limit(max_request_body);
  // Covers a client that connects and then says nothing, or half a request;
  // between requests, the shorter keep-alive idle time.
  const auto& limits = config_.limits;
  const auto idle = std::min(limits.keepalive_idle, limits.handshake_timeout);
  stream_.expires_after(answered_ ? idle : limits.handshake_timeout);
  http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&http_session::on_read, shared_from_this()));
}

void http_session::on_read(beast::error_code ec, std::size_t) {
  if (ec == http::error::end_of_stream) return stream_.close();
  if (ec == beast::error::timeout) {
    // After a response this is an idle keep-alive connection (a dashboard between polls).
    if (answered_) spdlog::debug("closing an idle HTTP connection");
    else spdlog::info("dropping a connection that did not complete its handshake in time");
    return stream_.close();
  }
  if (ec) {
    spdlog::debug("http read: {}", ec.message());
    return stream_.close();
  }
  const auto& req = parser_->get();
  auto admitted = admit(routes_.gate(), req);
  if (auto* refused = std::get_if<http_response>(&admitted)) return respond(std::move(*refused));
  identity_ = std::get<auth::identity>(std::move(admitted));
  if (websocket::is_upgrade(req)) return upgrade();
  respond(routes_(req));
}

void http_session::upgrade() {
  auto req = parser_->release();
  if (req.target() == "/echo" && config_.echo) {
    hand_over();
    return std::make_shared<echo_session>(std::move(stream_), std::move(slot_))->run(std::move(req));
  }
  if (req.target() == "/publish" || req.target().starts_with("/publish?")) return upgrade_publish(std::move(req));
  if (req.target() != "/" && !req.target().starts_with("/?"))
    return respond(text_response(req, http::status::not_found, "the stream is on /\n"));
  if (!hub_.try_admit()) {
    spdlog::warn("refusing a client: {} connected, the limit (--max-clients)", config_.max_clients);
    server_metrics::bump(hub_.metrics().refused);
    auto res = text_response(req, http::status::service_unavailable, "too many clients, try again later\n");
    res.set(http::field::retry_after, "5");
    res.keep_alive(false);
    return respond(std::move(res));
  }
  hand_over();
  auto session = std::make_shared<ws_session>(std::move(stream_), std::move(slot_), hub_, config_.limits);
  session->authorize(identity_);
  session->run(std::move(req));
}

// One producer at a time, and only when the operator asked for producers.
void http_session::upgrade_publish(http::request<http::string_body> req) {
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
  hand_over();
  std::make_shared<publish_session>(std::move(stream_), std::move(slot_), std::move(*claim), config_.limits)
      ->run(std::move(req));
}

// The new owner of the socket decides what shutdown does to it: an echo
// session sets its own action, a stream session is closed by the hub.
void http_session::hand_over() {
  slot_.on_stop({}, nullptr);
  handed_over_ = true;
}

// Shutdown: HTTP/1.1 has no orderly close for a connection that is idle or
// half-way through a request, so it is cut.
void http_session::stop() {
  if (handed_over_) return;
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.close();
}

void http_session::respond(http::response<http::string_body> res) {
  auto sp = std::make_shared<http::response<http::string_body>>(std::move(res));
  response_ = sp;
  // The last request a keep-alive connection may make: polling cannot hold it forever.
  if (++answered_ >= config_.limits.max_requests) sp->keep_alive(false);
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
