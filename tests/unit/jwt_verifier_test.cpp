#include "auth/jwt_verifier.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <gtest/gtest.h>
#include <jwt.h>

namespace arraycast::auth {
namespace {

using namespace std::chrono_literals;
using clock = std::chrono::system_clock;

const std::string secret = "correct horse battery staple";
const clock::time_point now = clock::time_point(1'764'000'000s);

long at(clock::duration from_now) {
  return std::chrono::duration_cast<std::chrono::seconds>((now + from_now).time_since_epoch()).count();
}

// A token built with libjwt, any algorithm and claims: what an attacker could send too.
std::string make(jwt_alg_t alg, const std::string& key, const std::string& claims_json) {
  jwt_t* raw = nullptr;
  EXPECT_EQ(jwt_new(&raw), 0);
  const std::unique_ptr<jwt_t, decltype(&jwt_free)> j(raw, &jwt_free);
  EXPECT_EQ(jwt_add_grants_json(j.get(), claims_json.c_str()), 0);
  const auto* k = key.empty() ? nullptr : reinterpret_cast<const unsigned char*>(key.data());
  EXPECT_EQ(jwt_set_alg(j.get(), alg, k, static_cast<int>(key.size())), 0);
  const std::unique_ptr<char, decltype(&std::free)> text(jwt_encode_str(j.get()), &std::free);
  return text ? text.get() : "";
}

std::string claims(long exp, const std::string& extra = "") {
  return R"({"sub":"alice","scope":"read publish other","exp":)" + std::to_string(exp) + extra + "}";
}

TEST(jwt_verifier, accepts_a_good_hs256_token_with_its_subject_scopes_and_expiry) {
  const jwt_verifier v(secret, "");
  const auto who = v.verify(make(JWT_ALG_HS256, secret, claims(at(1h))), now);
  ASSERT_TRUE(who);
  EXPECT_EQ(who->name, "alice");
  EXPECT_EQ(who->scopes.text(), "read publish");  // "other" is someone else's scope
  EXPECT_EQ(who->expires, now + 1h);
}

TEST(jwt_verifier, refuses_a_forged_signature) {
  const jwt_verifier v(secret, "");
  EXPECT_FALSE(v.verify(make(JWT_ALG_HS256, "another secret", claims(at(1h))), now));
  auto token = make(JWT_ALG_HS256, secret, claims(at(1h)));
  token.back() = token.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(v.verify(token, now));
}

TEST(jwt_verifier, refuses_alg_none_and_algorithms_without_a_key) {
  const jwt_verifier v(secret, "");
  EXPECT_FALSE(v.verify(make(JWT_ALG_NONE, "", claims(at(1h))), now));
  EXPECT_FALSE(v.verify(make(JWT_ALG_HS512, secret, claims(at(1h))), now));
  EXPECT_FALSE(v.verify(make(JWT_ALG_HS384, secret, claims(at(1h))), now));
}

TEST(jwt_verifier, checks_exp_and_nbf_with_the_leeway) {
  const jwt_verifier v(secret, "");
  const auto leeway = jwt_verifier::leeway;
  EXPECT_TRUE(v.verify(make(JWT_ALG_HS256, secret, claims(at(-leeway + 1s))), now));
  EXPECT_FALSE(v.verify(make(JWT_ALG_HS256, secret, claims(at(-leeway))), now));
  EXPECT_FALSE(v.verify(make(JWT_ALG_HS256, secret, claims(at(-1h))), now));
  EXPECT_TRUE(v.verify(make(JWT_ALG_HS256, secret, claims(at(1h), ",\"nbf\":" + std::to_string(at(leeway)))), now));
  const auto late_nbf = ",\"nbf\":" + std::to_string(at(leeway + 1s));
  EXPECT_FALSE(v.verify(make(JWT_ALG_HS256, secret, claims(at(1h), late_nbf)), now));
  EXPECT_FALSE(v.verify(make(JWT_ALG_HS256, secret, claims(at(1h), R"(,"nbf":"soon")")), now));
}

TEST(jwt_verifier, requires_exp) {
  const jwt_verifier v(secret, "");
  EXPECT_FALSE(v.verify(make(JWT_ALG_HS256, secret, R"({"sub":"alice","scope":"read"})"), now));
  EXPECT_FALSE(v.verify(make(JWT_ALG_HS256, secret, R"({"sub":"alice","scope":"read","exp":"never"})"), now));
}

TEST(jwt_verifier, refuses_what_is_not_a_token) {
  const jwt_verifier v(secret, "");
  for (const std::string text : {"", "a", "a.b", "a.b.c", "..", "eyJhbGciOiJIUzI1NiJ9..", "not a token at all"})
    EXPECT_FALSE(v.verify(text, now)) << text;
}

TEST(jwt_verifier, sign_hs256_makes_what_verify_accepts) {
  const jwt_verifier v(secret, "");
  const auto who = v.verify(sign_hs256(secret, "bob", "admin", now, 10min), now + 5min);
  ASSERT_TRUE(who);
  EXPECT_EQ(who->name, "bob");
  EXPECT_TRUE(who->scopes.has(scope::admin));
  EXPECT_FALSE(who->scopes.has(scope::read));
  EXPECT_FALSE(v.verify(sign_hs256(secret, "bob", "admin", now, 10min), now + 11min));
}

// RS256 with a key pair made by the openssl command, in a directory of its own.
class rs256 : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("arraycast-jwt-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    const auto cmd = "cd '" + dir_.string() + "' && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 "
                     "-out private.pem 2>/dev/null && openssl pkey -in private.pem -pubout -out public.pem 2>/dev/null";
    if (std::system(cmd.c_str()) != 0) GTEST_SKIP() << "openssl could not make a key pair";
    private_ = read("private.pem");
    public_ = read("public.pem");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string read(const char* name) {
    std::ifstream in(dir_ / name);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::filesystem::path dir_;
  std::string private_, public_;
};

TEST_F(rs256, accepts_a_good_token_and_refuses_another_keys) {
  const jwt_verifier v("", public_);
  EXPECT_TRUE(v.verify(make(JWT_ALG_RS256, private_, claims(at(1h))), now));
  EXPECT_FALSE(v.verify(make(JWT_ALG_HS256, secret, claims(at(1h))), now));  // no secret configured
}

// The classic confusion: HS256 "signed" with the public key, which is public.
TEST_F(rs256, never_uses_the_public_key_as_an_hmac_secret) {
  const jwt_verifier v(secret, public_);
  EXPECT_FALSE(v.verify(make(JWT_ALG_HS256, public_, claims(at(1h))), now));
  EXPECT_TRUE(v.verify(make(JWT_ALG_RS256, private_, claims(at(1h))), now));
  EXPECT_TRUE(v.verify(make(JWT_ALG_HS256, secret, claims(at(1h))), now));
}

}  // namespace
}  // namespace arraycast::auth
