// Feeds arbitrary bytes to every JSON protocol decoder (clients', producers', servers'). None may crash, throw or
// trip a sanitizer, and every client message that decodes must survive a
// re-encode unchanged: decode(encode(m)) == m.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <variant>

#include "core/protocol.hpp"

namespace {

using namespace arraycast;

template <class Message>
void check_round_trip(const Message& m) {
  const auto again = protocol::decode_client(protocol::encode(m));
  const auto* same = std::get_if<Message>(&again);
  if (same == nullptr || !(*same == m)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  const auto client = protocol::decode_client(text);
  if (const auto* h = std::get_if<protocol::hello>(&client)) check_round_trip(*h);
  if (const auto* a = std::get_if<protocol::ack>(&client)) check_round_trip(*a);

  // A producer's publish survives a re-encode too.
  const auto produced = protocol::decode_producer(text);
  if (const auto* p = std::get_if<protocol::publish>(&produced)) {
    const auto again = protocol::decode_producer(protocol::encode(*p));
    const auto* same = std::get_if<protocol::publish>(&again);
    if (same == nullptr || !(*same == *p)) std::abort();
  }
  (void)protocol::decode_publish_reply(text);

  (void)protocol::decode_server(text);
  return 0;
}
