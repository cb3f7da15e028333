#include "source/udp_source.hpp"

#include <stdexcept>

#include <gtest/gtest.h>

namespace arraycast {
namespace {

TEST(UdpAddress, TakesIpv4AndIpv6Literals) {
  EXPECT_EQ(parse_udp_address("127.0.0.1:9000"), udp::endpoint(net::ip::make_address("127.0.0.1"), 9000));
  EXPECT_EQ(parse_udp_address("0.0.0.0:1"), udp::endpoint(net::ip::make_address("0.0.0.0"), 1));
  EXPECT_EQ(parse_udp_address("[::1]:65535"), udp::endpoint(net::ip::make_address("::1"), 65535));
  EXPECT_EQ(parse_udp_address("::1:9000"), udp::endpoint(net::ip::make_address("::1"), 9000));
  EXPECT_EQ(parse_udp_address("[::]:9000"), udp::endpoint(net::ip::make_address("::"), 9000));
}

void expect_refused(const char* address, const char* message) {
  try {
    parse_udp_address(address);
    ADD_FAILURE() << address << " was taken";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << address << ": " << e.what();
  }
}

TEST(UdpAddress, RefusesWhatIsNotALiteralAndAPort) {
  expect_refused("9000", "needs a HOST and a PORT");
  expect_refused("", "needs a HOST and a PORT");
  expect_refused("localhost:9000", "IPv4 or IPv6 address");
  expect_refused(":9000", "IPv4 or IPv6 address");
  expect_refused("127.0.0.1:0", "PORT from 1 to 65535");
  expect_refused("127.0.0.1:65536", "PORT from 1 to 65535");
  expect_refused("127.0.0.1:90x", "PORT from 1 to 65535");
  expect_refused("127.0.0.1:", "PORT from 1 to 65535");
  expect_refused("127.0.0.1:-1", "PORT from 1 to 65535");
}

}  // namespace
}  // namespace arraycast
