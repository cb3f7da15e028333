#pragma once

#include <string_view>

#include <boost/json/value.hpp>
#include <boost/system/error_code.hpp>

namespace arraycast {

// json::parse, except that every double is the one nearest its text. Boost
// 1.81's parser can miss by one ulp (`6.666666666666667E59`, which it also
// writes), so a producer's value would not arrive as it was sent.
boost::json::value parse_json(std::string_view text, boost::system::error_code& ec);

}  // namespace arraycast
