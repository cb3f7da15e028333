#include "server/exposure.hpp"

#include <gtest/gtest.h>

namespace arraycast {
namespace {

TEST(exposure, loopback_needs_no_warning) {
  for (const auto* host : {"127.0.0.1", "127.0.0.2", "::1", "::ffff:127.0.0.1"})
    EXPECT_FALSE(exposure_warning({host, false, false})) << host;
}

TEST(exposure, any_other_address_without_tls_or_auth_is_warned_about_once_naming_what_is_missing) {
  const auto both = exposure_warning({"0.0.0.0", false, false});
  ASSERT_TRUE(both);
  EXPECT_NE(both->find("listening on 0.0.0.0"), std::string::npos) << *both;
  EXPECT_NE(both->find("--tls-cert"), std::string::npos) << *both;
  EXPECT_NE(both->find("--auth"), std::string::npos) << *both;

  const auto no_auth = exposure_warning({"::", true, false});
  ASSERT_TRUE(no_auth);
  EXPECT_EQ(no_auth->find("--tls-cert"), std::string::npos) << *no_auth;
  EXPECT_NE(no_auth->find("--auth"), std::string::npos) << *no_auth;

  const auto no_tls = exposure_warning({"192.168.1.10", false, true});
  ASSERT_TRUE(no_tls);
  EXPECT_NE(no_tls->find("--tls-cert"), std::string::npos) << *no_tls;
  EXPECT_EQ(no_tls->find("--auth"), std::string::npos) << *no_tls;
}

TEST(exposure, tls_and_auth_together_need_no_warning) {
  EXPECT_FALSE(exposure_warning({"0.0.0.0", true, true}));
  EXPECT_FALSE(exposure_warning({"::ffff:10.0.0.1", true, true}));
}

}  // namespace
}  // namespace arraycast
