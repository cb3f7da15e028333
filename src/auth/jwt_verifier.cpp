#include "auth/jwt_verifier.hpp"

#include <charconv>
#include <cstdlib>
#include <memory>
#include <stdexcept>

#include <jwt.h>

namespace arraycast::auth {

namespace {

using clock = std::chrono::system_clock;

struct jwt_deleter {
  void operator()(jwt_t* j) const { jwt_free(j); }
};
using jwt_ptr = std::unique_ptr<jwt_t, jwt_deleter>;

// `token`, if its signature is `alg`'s with `key`. libjwt checks the
// signature with the algorithm the token names; insisting on `alg` after it
// is what keeps an RS256 public key from being taken as an HS256 secret, and
// `none` out.
jwt_ptr decode(const std::string& token, const std::string& key, jwt_alg_t alg) {
  if (key.empty()) return nullptr;
  jwt_t* raw = nullptr;
  const auto* bytes = reinterpret_cast<const unsigned char*>(key.data());
  if (jwt_decode(&raw, token.c_str(), bytes, static_cast<int>(key.size())) != 0) return nullptr;
  jwt_ptr j(raw);
  if (jwt_get_alg(j.get()) != alg) return nullptr;
  return j;
}

// A claim's JSON text; nullopt when absent.
std::optional<std::string> claim_json(jwt_t* j, const char* name) {
  const std::unique_ptr<char, decltype(&std::free)> json(jwt_get_grants_json(j, name), &std::free);
  if (!json) return std::nullopt;
  return std::string(json.get());
}

// An integer claim (a NumericDate); nullopt when absent or of another type.
// Read from its JSON text: libjwt's integer getter gives 0 for a string.
std::optional<long> int_claim(jwt_t* j, const char* name) {
  const auto text = claim_json(j, name);
  if (!text) return std::nullopt;
  long v = 0;
  const auto* end = text->data() + text->size();
  const auto [rest, ec] = std::from_chars(text->data(), end, v);
  if (ec != std::errc{} || rest != end) return std::nullopt;
  return v;
}

clock::time_point at(long seconds) { return clock::time_point(std::chrono::seconds(seconds)); }

// exp is required: a token that never expires cannot be taken back short of
// changing the secret for everyone.
bool in_time(jwt_t* j, clock::time_point now) {
  const auto exp = int_claim(j, "exp");
  if (!exp || now >= at(*exp) + jwt_verifier::leeway) return false;
  if (!claim_json(j, "nbf")) return true;
  const auto nbf = int_claim(j, "nbf");
  return nbf && now + jwt_verifier::leeway >= at(*nbf);
}

}  // namespace

jwt_verifier::jwt_verifier(std::string hs256_secret, std::string rs256_public_pem)
    : secret_(std::move(hs256_secret)), public_pem_(std::move(rs256_public_pem)) {
  if (secret_.empty() && public_pem_.empty()) throw std::invalid_argument("jwt_verifier: no key");
}

std::optional<identity> jwt_verifier::verify(const std::string& token, clock::time_point now) const {
  auto j = decode(token, secret_, JWT_ALG_HS256);
  if (!j) j = decode(token, public_pem_, JWT_ALG_RS256);
  if (!j || !in_time(j.get(), now)) return std::nullopt;
  identity who;
  if (const char* sub = jwt_get_grant(j.get(), "sub")) who.name = sub;
  if (const char* s = jwt_get_grant(j.get(), "scope")) who.scopes = parse_scope_claim(s);
  who.expires = at(*int_claim(j.get(), "exp"));
  return who;
}

std::string sign_hs256(const std::string& secret, const std::string& sub, const std::string& scopes,
                       clock::time_point issued, std::chrono::seconds ttl) {
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) throw std::bad_alloc();
  const jwt_ptr j(raw);
  const auto iat = std::chrono::duration_cast<std::chrono::seconds>(issued.time_since_epoch()).count();
  const auto* key = reinterpret_cast<const unsigned char*>(secret.data());
  if (jwt_add_grant(j.get(), "sub", sub.c_str()) != 0 || jwt_add_grant(j.get(), "scope", scopes.c_str()) != 0 ||
      jwt_add_grant_int(j.get(), "iat", iat) != 0 || jwt_add_grant_int(j.get(), "exp", iat + ttl.count()) != 0 ||
      jwt_set_alg(j.get(), JWT_ALG_HS256, key, static_cast<int>(secret.size())) != 0)
    throw std::runtime_error("could not build the token");
  const std::unique_ptr<char, decltype(&std::free)> text(jwt_encode_str(j.get()), &std::free);
  if (!text) throw std::runtime_error("could not sign the token");
  return text.get();
}

}  // namespace arraycast::auth
