#pragma once

#include <string>
#include <variant>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <fmt/format.h>

#include "core/packet.hpp"

// Arrays of values as JSON and as text: the one place that decides how a
// number is read and written, for the wire, the recordings and the sources.
namespace arraycast {

boost::json::array arrays_to_json(const std::vector<array_t>& arrays);

// Reads `[[1, 2.5], [3]]`: integers stay integers, any number with a fraction
// or an exponent (or an integer beyond int64) is a double. Returns why not when `v` is not an array of
// arrays of finite numbers, or holds more than max_packet_values numbers.
std::variant<std::vector<array_t>, std::string> arrays_from_json(const boost::json::value& v);

// The shortest text that reads back as the same value; a double always shows
// it is one (`2.0`, not `2`), so a recording read back keeps every kind.
std::string format_value(value v);

}  // namespace arraycast

template <>
struct fmt::formatter<arraycast::value> : fmt::formatter<std::string_view> {
  auto format(arraycast::value v, fmt::format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(arraycast::format_value(v), ctx);
  }
};
