#include "auth/request_token.hpp"

#include <gtest/gtest.h>

#include "auth/gate.hpp"
#include "auth/origin.hpp"

namespace arraycast::auth {
namespace {

TEST(request_token, takes_the_bearer_header_first) {
  EXPECT_EQ(request_token("Bearer abc.def-_~+/=", "/"), "abc.def-_~+/=");
  EXPECT_EQ(request_token("bearer   abc", "/?token=zzz"), "abc");
  EXPECT_EQ(request_token("", "/?token=zzz&x=1"), "zzz");
  EXPECT_EQ(request_token("", "/?a=1&token=a%2Eb"), "a.b");
}

TEST(request_token, refuses_malformed_headers_without_falling_back_to_the_query) {
  for (const char* header : {"Bearer", "Bearer ", "Basic abc", "Bearerabc", "Bearer a b", "Bearer a\"b", "Bearer ="})
    EXPECT_EQ(request_token(header, "/?token=zzz"), std::nullopt) << header;
  for (const char* target : {"/", "/?token", "/?token=", "/?tok=zzz", "not a target", "/?token=%zz"})
    EXPECT_EQ(request_token("", target), std::nullopt) << target;
}

TEST(request_token, strips_the_query_for_logs) {
  EXPECT_EQ(without_query("/publish?token=secret"), "/publish");
  EXPECT_EQ(without_query("/"), "/");
}

TEST(origin, allows_none_its_own_and_the_listed) {
  const std::vector<std::string> allowed{"https://dash.example.com/"};
  EXPECT_TRUE(origin_allowed("", "http", "127.0.0.1:6969", {}));
  EXPECT_TRUE(origin_allowed("http://127.0.0.1:6969", "http", "127.0.0.1:6969", {}));
  EXPECT_TRUE(origin_allowed("http://LOCALHOST:6969", "http", "localhost:6969", {}));
  EXPECT_TRUE(origin_allowed("https://dash.example.com", "http", "127.0.0.1:6969", allowed));
  EXPECT_FALSE(origin_allowed("http://evil.example", "http", "127.0.0.1:6969", allowed));
  EXPECT_FALSE(origin_allowed("https://127.0.0.1:6969", "http", "127.0.0.1:6969", {}));
  EXPECT_FALSE(origin_allowed("http://127.0.0.1:6970", "http", "127.0.0.1:6969", {}));
  EXPECT_FALSE(origin_allowed("null", "http", "127.0.0.1:6969", {}));
  EXPECT_FALSE(origin_allowed("http://", "http", "", {}));
}

TEST(route_scope, maps_each_route) {
  EXPECT_EQ(route_scope("/healthz", false), std::nullopt);
  EXPECT_EQ(route_scope("/dashboard.js", true), std::nullopt);
  EXPECT_EQ(route_scope("/", false), scope::read);
  EXPECT_EQ(route_scope("/nowhere", false), scope::read);
  EXPECT_EQ(route_scope("/publish", false), scope::publish);
  EXPECT_EQ(route_scope("/metrics", false), scope::admin);
  EXPECT_EQ(route_scope("/clients", false), scope::admin);
}

}  // namespace
}  // namespace arraycast::auth
