// Feeds arbitrary bytes to the path a request's token takes: the input's
// first line is an Authorization header, its second a request target, and
// the token found in them goes to the JWT verifier (HS256 and RS256 both
// configured). The whole input is also read as a token file, and as an
// Origin. None may crash, throw unexpectedly or trip a sanitizer, and a
// token signed with another key must never verify.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include "auth/jwt_verifier.hpp"
#include "auth/origin.hpp"
#include "auth/request_token.hpp"
#include "auth/token_file.hpp"

namespace {

using namespace arraycast::auth;

// A public key whose private half was thrown away when it was made: nothing the fuzzer makes can verify with it.
constexpr const char* public_pem = R"(-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAyNTACBL0yxDA7jMF0YP4
VPwer9SEeXgd6ljjc1KYraGuZgKgvux88eobzQj1zqKBgwtoCj8WhXMhxZmPiRo0
TiMlWbMJgHBpbVqO0Y2tXAu/PzakM1Qwcobst8Wy6CYGW3/wjoFzRMoWO2ZrmFX3
heQIxBiblpDqu8AYk0pmkQPQE6Zi/Rauq8hcCDVdrVTBweYURLQITIFvSZ6oruaE
KSUMHypInTf3LsIs0okStsdC4X/ZuRK0+E9XA3Xwi023Z5fe+B7MZSVgh+wA+xOe
sPzb4nKm9t6eXTSkHxT2tmEYVBeIofX2TpIeAWzEZw9IEPEV7F+OrfdSL1OP5GPa
wQIDAQAB
-----END PUBLIC KEY-----
)";

const jwt_verifier& verifier() {
  static const jwt_verifier v("fuzz secret the inputs never know", public_pem);
  return v;
}

std::string_view line(std::string_view& text) {
  const auto end = text.find('\n');
  const auto first = text.substr(0, end);
  text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  return first;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto rest = text;
  const auto header = line(rest);
  const auto target = line(rest);
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'764'000'000));
  if (const auto token = request_token(header, target))
    if (verifier().verify(*token, now)) std::abort();  // forged: it cannot know the secret or the private key
  (void)without_query(target);
  (void)origin_allowed(header, "http", target, {std::string(rest)});
  (void)parse_scope_claim(text);
  try {
    (void)parse_token_file(text, "fuzz");
  } catch (const std::runtime_error&) {
    // A bad line is reported, never accepted.
  }
  return 0;
}
