#include "source/udp_source.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/binary_packet.hpp"
#include "source/make_source.hpp"

namespace arraycast {

namespace {

// A datagram's payload is at most 65535 bytes less its headers.
constexpr std::size_t max_datagram = 65535;

std::uint16_t parse_port(std::string_view text) {
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (ec != std::errc{} || end != text.data() + text.size() || port < 1 || port > 65535)
    throw std::invalid_argument(fmt::format("udp:HOST:PORT needs a PORT from 1 to 65535, not '{}'", text));
  return static_cast<std::uint16_t>(port);
}

// Text datagrams start with a printable character or whitespace; a binary
// packet starts with its version byte, which is not one.
bool is_text(std::string_view bytes) {
  const auto c = static_cast<unsigned char>(bytes.front());
  return std::isprint(c) || std::isspace(c);
}

}  // namespace

udp::endpoint parse_udp_address(std::string_view address) {
  const auto colon = address.rfind(':');
  if (colon == std::string_view::npos)
    throw std::invalid_argument(fmt::format("udp:HOST:PORT needs a HOST and a PORT, as in udp:0.0.0.0:9000, not 'udp:{}'", address));
  auto host = address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  beast::error_code ec;
  const auto ip = net::ip::make_address(host, ec);
  if (ec)
    throw std::invalid_argument(fmt::format(
        "udp:HOST:PORT needs an IPv4 or IPv6 address as HOST (0.0.0.0 for every interface, 127.0.0.1, [::1]), not '{}'",
        host));
  return {ip, parse_port(address.substr(colon + 1))};
}

udp_source::udp_source(net::io_context& ioc, const source_config& config)
    : config_(config), socket_(net::make_strand(ioc)),
      buffer_(std::min(config.max_input, max_datagram), '\0') {
  const auto where = parse_udp_address(source_argument(config.spec));
  beast::error_code ec;
  socket_.open(where.protocol());
  socket_.set_option(net::socket_base::receive_buffer_size(receive_buffer_bytes), ec);  // best effort
  const int on = 1;
  ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RXQ_OVFL, &on, sizeof on);  // best effort too
  socket_.bind(where, ec);
  if (ec)
    throw std::runtime_error(fmt::format("udp source: cannot bind {}:{}: {}", where.address().to_string(),
                                         where.port(), ec.message()));
  socket_.non_blocking(true);
  net::socket_base::receive_buffer_size got;
  socket_.get_option(got, ec);
  // Linux reports twice what it grants (its bookkeeping overhead); less means net.core.rmem_max capped it.
  spdlog::info("udp source: receiving on {}:{} (kernel receive buffer {} KiB{})", where.address().to_string(),
               socket_.local_endpoint().port(), got.value() / 1024,
               got.value() < 2 * receive_buffer_bytes ? ", capped by net.core.rmem_max" : "");
}

protocol::stream_info udp_source::describe() const { return {"udp", 0, std::nullopt}; }

void udp_source::start(packet_sink& out) {
  out_ = &out;
  net::dispatch(socket_.get_executor(), [this] {
    input_.emplace(config_, *out_);
    do_wait();
  });
}

void udp_source::stop() {
  stopped_ = true;
  net::post(socket_.get_executor(), [this] {
    beast::error_code ignored;
    socket_.close(ignored);
  });
}

void udp_source::do_wait() {
  socket_.async_wait(udp::socket::wait_read, [this](beast::error_code ec) { on_readable(ec); });
}

void udp_source::on_readable(beast::error_code ec) {
  if (stopped_) return;
  if (ec) return spdlog::error("udp source: cannot wait for datagrams: {}", ec.message());
  for (int i = 0; i < batch && !stopped_; ++i)
    if (!receive_one()) break;
  do_wait();
}

// One datagram, if there is one; false once the socket has none left.
bool udp_source::receive_one() {
  iovec io{buffer_.data(), buffer_.size()};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(std::uint32_t))];
  msghdr msg{};
  msg.msg_iov = &io;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  // MSG_TRUNC: the datagram's true size, even when it did not fit.
  const auto n = ::recvmsg(socket_.native_handle(), &msg, MSG_DONTWAIT | MSG_TRUNC);
  if (n < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
      spdlog::warn("udp source: receive failed: {}", std::strerror(errno));
    return errno == EINTR;
  }
  for (auto* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SO_RXQ_OVFL) continue;
    std::uint32_t dropped = 0;
    std::memcpy(&dropped, CMSG_DATA(c), sizeof dropped);
    count_drops(dropped);
  }
  const auto size = static_cast<std::size_t>(n);
  on_datagram(std::string_view(buffer_).substr(0, size), size);
  return true;
}

// The kernel's counter is cumulative: what grew since the last datagram was
// lost before it, and the stream says so with a gap.
void udp_source::count_drops(std::uint32_t dropped_so_far) {
  const std::uint32_t lost = dropped_so_far - kernel_dropped_;  // modulo 2^32, as the kernel counts
  kernel_dropped_ = dropped_so_far;
  if (lost == 0) return;
  spdlog::warn("udp source: the kernel dropped {} datagrams, its receive buffer was full (the stream has a gap)", lost);
  out_->lost(lost, "datagrams dropped by the kernel: the UDP receive buffer was full");
}

void udp_source::on_datagram(std::string_view bytes, std::size_t size) {
  if (size > config_.max_input)
    return out_->rejected(reject_reason::too_long,
                          fmt::format("a datagram of {} bytes; --max-input is {}", size, config_.max_input));
  if (bytes.empty() || is_text(bytes)) return input_->feed_message(bytes);
  on_binary(bytes);
}

// The producer's seq is not ours to keep: the stream numbers packets. Its ts
// is, unless it is 0 (a board without a clock), which means "when received".
void udp_source::on_binary(std::string_view bytes) {
  auto decoded = protocol::decode_binary(bytes);
  if (auto* p = std::get_if<packet>(&decoded))
    return out_->push({std::move(p->arrays), p->ts > 0 ? std::optional(p->ts) : std::nullopt, {}});
  if (auto* e = std::get_if<protocol::decode_error>(&decoded)) return out_->rejected(reject_reason::bad_binary, e->message);
  out_->rejected(reject_reason::bad_binary, "not a binary packet");
}

}  // namespace arraycast
