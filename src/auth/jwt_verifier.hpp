#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "auth/identity.hpp"

namespace arraycast::auth {

// Verifies JSON Web Tokens with libjwt. Only the algorithms given a key are
// accepted: HS256 with the shared secret, RS256 with the public key. A token
// naming any other algorithm (`none` included) is refused, and one that
// verifies with a key but names the other key's algorithm too, so an RS256
// public key is never accepted as an HMAC secret. `exp` is required and `nbf` honoured, each with `leeway` for clocks
// that disagree a little. Thread-safe: verify() only reads.
class jwt_verifier {
public:
  static constexpr auto leeway = std::chrono::seconds(30);

  // Either may be empty (that algorithm is then refused), not both.
  jwt_verifier(std::string hs256_secret, std::string rs256_public_pem);

  // The identity in a valid token; nullopt for anything else.
  std::optional<identity> verify(const std::string& token, std::chrono::system_clock::time_point now) const;

private:
  std::string secret_;      // HS256; empty: refused
  std::string public_pem_;  // RS256; empty: refused
};

// A token signed with HS256: `sub`, `scope` (space-separated), `iat` and `exp`.
std::string sign_hs256(const std::string& secret, const std::string& sub, const std::string& scopes,
                       std::chrono::system_clock::time_point issued, std::chrono::seconds ttl);

}  // namespace arraycast::auth
