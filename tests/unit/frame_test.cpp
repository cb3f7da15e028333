// frame_message frames once what every session writes as it is: its bytes
// must be exactly what Beast itself writes for the same message.
#include <gtest/gtest.h>

#include <boost/beast/_experimental/test/stream.hpp>

#include <string>

#include "core/frame.hpp"
#include "util/net.hpp"

namespace {

using namespace arraycast;

// What a Beast server stream puts on the wire for one message.
std::string beast_frame(std::string_view payload, bool binary) {
  net::io_context ioc;
  beast::test::stream local(ioc), remote(ioc);
  local.connect(remote);
  websocket::stream<beast::test::stream&> ws(local);
  http::request<http::empty_body> req{http::verb::get, "/", 11};
  req.set(http::field::host, "localhost");
  req.set(http::field::upgrade, "websocket");
  req.set(http::field::connection, "upgrade");
  req.set(http::field::sec_websocket_key, "dGhlIHNhbXBsZSBub25jZQ==");
  req.set(http::field::sec_websocket_version, "13");
  ws.accept(req);
  ws.auto_fragment(false);
  ws.binary(binary);
  const auto handshake = remote.str().size();
  ws.write(net::buffer(payload.data(), payload.size()));
  return std::string(remote.str()).substr(handshake);
}

class frame_message_test : public ::testing::TestWithParam<std::size_t> {};

TEST_P(frame_message_test, matches_what_beast_writes) {
  const std::string payload(GetParam(), 'x');
  for (bool binary : {false, true}) {
    const auto m = frame_message(binary ? ws_opcode::binary : ws_opcode::text, payload);
    EXPECT_EQ(m.bytes, beast_frame(payload, binary)) << payload.size() << " bytes, binary " << binary;
    EXPECT_EQ(m.payload(), payload);
  }
}

// Each length encoding and its edges: 7-bit, 16-bit and 64-bit lengths.
INSTANTIATE_TEST_SUITE_P(lengths, frame_message_test,
                         ::testing::Values(0, 1, 125, 126, 127, 65535, 65536, 70000));

TEST(frame, header_lengths_follow_rfc_6455) {
  EXPECT_EQ(frame_message(ws_opcode::text, std::string(125, 'a')).header, 2u);
  EXPECT_EQ(frame_message(ws_opcode::text, std::string(126, 'a')).header, 4u);
  EXPECT_EQ(frame_message(ws_opcode::text, std::string(65536, 'a')).header, 10u);
}

TEST(frame, a_client_gets_binary_only_if_it_asked_and_the_frame_has_it) {
  const auto packet = make_frame(1, 2, 3, "{\"type\":\"packet\"}", "\x01\x02");
  const auto control = make_control_frame("{\"type\":\"welcome\"}");
  EXPECT_EQ(packet->for_client(true).payload(), "\x01\x02");
  EXPECT_EQ(packet->for_client(false).payload(), "{\"type\":\"packet\"}");
  EXPECT_EQ(control->for_client(true).payload(), "{\"type\":\"welcome\"}");
  EXPECT_EQ(static_cast<unsigned char>(control->for_client(true).bytes[0]), 0x81);  // FIN, text
  EXPECT_EQ(static_cast<unsigned char>(packet->for_client(true).bytes[0]), 0x82);   // FIN, binary
}

}  // namespace
