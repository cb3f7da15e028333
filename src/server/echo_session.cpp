#include "server/echo_session.hpp"

#include <spdlog/spdlog.h>

namespace arraycast {

namespace {
constexpr std::size_t max_echo_message = 16 * 1024 * 1024;
}

echo_session::echo_session(loop_transport&& stream, connection_slot slot)
    : slot_(std::move(slot)), ws_(std::move(stream)) {}

void echo_session::run(http::request<http::string_body> req) {
  slot_.on_stop(ws_.get_executor(), [weak = weak_from_this()] {
    if (auto self = weak.lock()) self->stop();
  });
  ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  ws_.read_message_max(max_echo_message);
  ws_.async_accept(req, beast::bind_front_handler(&echo_session::on_accept, shared_from_this()));
}

void echo_session::on_accept(beast::error_code ec) {
  if (ec) return spdlog::debug("echo accept: {}", ec.message());
  open_ = true;
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
  // Up to 16 MiB: an idle session keeps none of it.
  buffer_.consume(buffer_.size());
  buffer_.shrink_to_fit();
  do_read();
}

// Shutdown: going away (1001) once upgraded, the socket cut before that.
// The server's grace period bounds a peer that never answers the close.
void echo_session::stop() {
  if (!open_) return ws_.next_layer().close();
  open_ = false;
  ws_.async_close(websocket::close_code::going_away, [self = shared_from_this()](beast::error_code ec) {
    if (ec) spdlog::debug("echo close: {}", ec.message());
  });
}

}  // namespace arraycast
