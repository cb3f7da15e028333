// Feeds arbitrary bytes to the binary packet decoder. It may not crash, throw,
// read out of bounds or trip a sanitizer; every packet it accepts must stand
// on at least a byte of input per array (a few bytes never become a million
// empty arrays), and survive a re-encode unchanged, kinds and double bits
// included, in no more bytes (the encoder picks the smallest width and shape;
// the input may have used a wider or ragged one).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <variant>

#include "core/binary_packet.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace arraycast;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);

  const auto decoded = protocol::decode_binary(bytes);
  const auto* p = std::get_if<packet>(&decoded);
  if (p == nullptr) return 0;
  if (p->arrays.size() > size) std::abort();
  const auto again = protocol::encode_binary(*p);
  if (again.size() > size) std::abort();
  const auto redecoded = protocol::decode_binary(again);
  const auto* same = std::get_if<packet>(&redecoded);
  if (same == nullptr || !(*same == *p)) std::abort();
  return 0;
}
