#include "source/serial_source.hpp"

#include <termios.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "source/make_source.hpp"

namespace arraycast {

namespace {

using serial_port_base = net::serial_port_base;

// "115200 baud, 8N1", as boards' docs write it.
std::string settings_of(const source_config& c) {
  const char parity = c.parity == serial_port_base::parity::none ? 'N' : c.parity == serial_port_base::parity::odd ? 'O' : 'E';
  const char* stop = c.stop_bits == serial_port_base::stop_bits::one ? "1" : c.stop_bits == serial_port_base::stop_bits::two ? "2" : "1.5";
  return fmt::format("{} baud, {}{}{}", c.baud, c.data_bits, parity, stop);
}

}  // namespace

// Asio's own option code decides, on a scratch termios: what it refuses here
// it would refuse at every opening.
std::string serial_settings_error(const source_config& config) {
  termios scratch{};
  beast::error_code ec;
  serial_port_base::baud_rate(config.baud).store(scratch, ec);
  if (ec) return fmt::format("--baud {}: not a rate this system's serial ports take ({})", config.baud, ec.message());
  serial_port_base::stop_bits(config.stop_bits).store(scratch, ec);
  if (ec) return fmt::format("--stop-bits 1.5: not available on this system ({}); use 1 or 2", ec.message());
  return {};
}

serial_source::serial_source(net::io_context& ioc, const source_config& config)
    : config_(config), device_(source_argument(config.spec)), port_(net::make_strand(ioc)),
      timer_(port_.get_executor()), backoff_(retry_initial, retry_max, uniform_jitter()) {}

protocol::stream_info serial_source::describe() const { return {"serial", 0, std::nullopt}; }

void serial_source::start(packet_sink& out) {
  out_ = &out;
  net::dispatch(port_.get_executor(), [this] { do_open(); });
}

void serial_source::stop() {
  stopped_ = true;
  net::post(port_.get_executor(), [this] {
    timer_.cancel();
    beast::error_code ignored;
    port_.close(ignored);
  });
}

void serial_source::do_open() {
  if (stopped_) return;
  try {
    open_port();
  } catch (const boost::system::system_error& e) {
    beast::error_code ignored;
    port_.close(ignored);
    return do_retry(fmt::format("cannot open {}: {}", device_, e.code().message()));
  }
  spdlog::info("serial source: opened {} ({})", device_, settings_of(config_));
  input_.emplace(config_, *out_);
  do_read();
}

void serial_source::open_port() {
  port_.open(device_);
  port_.set_option(serial_port_base::baud_rate(config_.baud));
  port_.set_option(serial_port_base::character_size(config_.data_bits));
  port_.set_option(serial_port_base::parity(config_.parity));
  port_.set_option(serial_port_base::stop_bits(config_.stop_bits));
  port_.set_option(serial_port_base::flow_control(config_.flow_control));
}

void serial_source::do_retry(const std::string& why) {
  const auto delay = backoff_.next();
  spdlog::warn("serial source: {}; retrying in {} ms (attempt {})", why, delay.count(), backoff_.attempt());
  timer_.expires_after(delay);
  timer_.async_wait([this](beast::error_code ec) {
    if (!ec) do_open();
  });
}

void serial_source::do_read() {
  port_.async_read_some(net::buffer(buffer_), [this](beast::error_code ec, std::size_t n) { on_read(ec, n); });
}

// A read error or EOF is the board going away: close, and reopen the same
// path after a backoff; the new line_input of the next opening drops the
// partial line.
void serial_source::on_read(beast::error_code ec, std::size_t n) {
  if (stopped_) return;
  if (ec) {
    beast::error_code ignored;
    port_.close(ignored);
    input_.reset();
    return do_retry(fmt::format("{} went away ({})", device_, ec.message()));
  }
  backoff_.reset();  // bytes arrived: the device works, the next loss starts the backoff over
  input_->feed({buffer_.data(), n});
  do_read();
}

}  // namespace arraycast
