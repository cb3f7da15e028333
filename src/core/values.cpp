#include "core/values.hpp"

#include <cmath>

namespace arraycast {

namespace json = boost::json;

namespace {

// An integer beyond int64 becomes a double, as Boost.JSON already makes of
// one beyond uint64: one rule for every integer too big to be one.
std::variant<value, std::string> value_from_json(const json::value& x) {
  if (x.is_int64()) return value(x.get_int64());
  if (x.is_uint64()) {
    if (x.get_uint64() > static_cast<std::uint64_t>(INT64_MAX)) return value(static_cast<double>(x.get_uint64()));
    return value(static_cast<std::int64_t>(x.get_uint64()));
  }
  if (x.is_double()) {
    if (!std::isfinite(x.get_double())) return std::string("a number that is not finite");
    return value(x.get_double());
  }
  return std::string("a value that is not a number");
}

}  // namespace

json::array arrays_to_json(const std::vector<array_t>& arrays) {
  json::array out;
  out.reserve(arrays.size());
  for (const auto& a : arrays) {
    auto& row = out.emplace_back(json::array()).get_array();
    row.reserve(a.size());
    for (const auto v : a) {
      if (v.is_float())
        row.emplace_back(v.as_double());
      else
        row.emplace_back(v.as_int());
    }
  }
  return out;
}

std::variant<std::vector<array_t>, std::string> arrays_from_json(const json::value& v) {
  if (!v.is_array()) return std::string("\"arrays\" must be an array of arrays");
  if (v.get_array().size() > max_packet_values) return fmt::format("more than {} arrays in one packet", max_packet_values);
  std::vector<array_t> arrays;
  arrays.reserve(v.get_array().size());
  std::size_t total = 0;
  for (const auto& row : v.get_array()) {
    if (!row.is_array()) return std::string("\"arrays\" must be an array of arrays");
    total += row.get_array().size();
    if (total > max_packet_values) return fmt::format("more than {} values in one packet", max_packet_values);
    auto& out = arrays.emplace_back();
    out.reserve(row.get_array().size());
    for (const auto& x : row.get_array()) {
      auto parsed = value_from_json(x);
      if (auto* why = std::get_if<std::string>(&parsed)) return std::move(*why);
      out.push_back(std::get<value>(parsed));
    }
  }
  return arrays;
}

std::string format_value(value v) {
  if (!v.is_float()) return fmt::format("{}", v.as_int());
  auto text = fmt::format("{}", v.as_double());
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

}  // namespace arraycast
