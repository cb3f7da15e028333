#include "server/echo_session.hpp"

#include <spdlog/spdlog.h>

namespace arraycast {

namespace {
constexpr std::size_t max_echo_message = 16 * 1024 * 1024;
}

echo_session::echo_session(beast::tcp_stream&& stream) : ws_(std::move(stream)) {}

void echo_session::run(http::request<http::string_body> req) {
  beast::get_lowest_layer(ws_).expires_never();
  ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  ws_.read_message_max(max_echo_message);
  ws_.async_accept(req, beast::bind_front_handler(&echo_session::on_accept, shared_from_this()));
}

void echo_session::on_accept(beast::error_code ec) {
  if (ec) return spdlog::debug("echo accept: {}", ec.message());
  do_read();
}

void echo_session::do_read() {
  ws_.async_read(buffer_, beast::bind_front_handler(&echo_session::on_read, shared_from_this()));
}

void echo_session::on_read(beast::error_code ec, std::size_t) {
  if (ec) return spdlog::debug("echo read: {}", ec.message());
  ws_.text(ws_.got_text());
  ws_.async_write(buffer_.data(), beast::bind_front_handler(&echo_session::on_write, shared_from_this()));
}

void echo_session::on_write(beast::error_code ec, std::size_t) {
  if (ec) return spdlog::debug("echo write: {}", ec.message());
  buffer_.consume(buffer_.size());
  do_read();
}

}  // namespace arraycast
