#include "server/exposure.hpp"

#include <vector>

#include <boost/asio/ip/address.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

namespace arraycast {

namespace {

// 127.0.0.0/8, ::1, and ::ffff:127.x.y.z, which a dual-stack socket reaches as 127.x.y.z.
bool loopback(const std::string& host) {
  namespace ip = boost::asio::ip;
  boost::system::error_code ec;
  const auto a = ip::make_address(host, ec);
  if (ec) return false;
  if (a.is_v6() && a.to_v6().is_v4_mapped()) return ip::make_address_v4(ip::v4_mapped, a.to_v6()).is_loopback();
  return a.is_loopback();
}

}  // namespace

std::optional<std::string> exposure_warning(const exposure& e) {
  if (loopback(e.host)) return std::nullopt;
  std::vector<std::string> missing;
  if (!e.tls) missing.emplace_back("without TLS (--tls-cert): the stream and any tokens travel in clear text");
  if (!e.auth) missing.emplace_back("without authentication (--auth): anyone who reaches the port can read the "
                                    "stream and /clients");
  if (missing.empty()) return std::nullopt;
  return fmt::format("listening on {}, beyond this machine, {}", e.host, fmt::join(missing, "; and "));
}

}  // namespace arraycast
