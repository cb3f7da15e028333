#include "core/exact_json.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace arraycast {
namespace {

boost::json::value parsed(std::string_view text) {
  boost::system::error_code ec;
  auto v = parse_json(text, ec);
  EXPECT_FALSE(ec) << text << ": " << ec.message();
  return v;
}

bool refused(std::string_view text) {
  boost::system::error_code ec;
  (void)parse_json(text, ec);
  return static_cast<bool>(ec);
}

TEST(exact_json, a_double_is_the_one_nearest_its_text) {
  // Boost 1.81's own parser reads this one ulp high.
  EXPECT_EQ(parsed("6.666666666666667E59").as_double(), 6.666666666666667e59);
  EXPECT_EQ(parsed("[0.1, -2.5e-300, 1e308]"), (boost::json::array{0.1, -2.5e-300, 1e308}));
}

TEST(exact_json, builds_the_same_values_as_boost) {
  const auto v = parsed(R"( {"a":[1,-2,18446744073709551615,"s\u00e9",true,null,{}],"b":{"c":[]}} )");
  EXPECT_EQ(v, boost::json::parse(R"({"a":[1,-2,18446744073709551615,"sé",true,null,{}],"b":{"c":[]}})"));
  EXPECT_TRUE(v.at("a").at(2).is_uint64());
  // Out of range stays what Boost makes of it (infinity), for the caller to refuse.
  EXPECT_EQ(parsed("1e999"), boost::json::parse("1e999"));
}

TEST(exact_json, refuses_what_boost_refuses) {
  EXPECT_TRUE(refused(""));
  EXPECT_TRUE(refused("[1,"));
  EXPECT_TRUE(refused("1 2"));
  EXPECT_TRUE(refused("{} x"));
  EXPECT_TRUE(refused(std::string(100, '[') + std::string(100, ']'))) << "deeper than Boost's limit";
}

}  // namespace
}  // namespace arraycast
