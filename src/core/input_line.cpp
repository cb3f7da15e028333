#include "core/input_line.hpp"

#include <boost/json.hpp>

#include "core/values.hpp"

namespace arraycast {

namespace json = boost::json;

namespace {

std::variant<input_packet, std::string> from_arrays(const json::value& arrays, std::optional<std::int64_t> ts) {
  auto read = arrays_from_json(arrays);
  if (auto* why = std::get_if<std::string>(&read)) return std::move(*why);
  return input_packet{std::move(std::get<std::vector<array_t>>(read)), ts};
}

std::variant<input_packet, std::string> from_object(const json::object& o) {
  const auto* arrays = o.if_contains("arrays");
  if (!arrays) return std::string("an object without \"arrays\"");
  const auto* ts = o.if_contains("ts");
  if (!ts) return from_arrays(*arrays, std::nullopt);
  boost::system::error_code ec;
  const auto t = ts->to_number<std::int64_t>(ec);
  if (ec || !ts->is_number() || ts->is_double()) return std::string("\"ts\" is not an integer (µs since the Unix epoch)");
  return from_arrays(*arrays, t);
}

}  // namespace

// Numbers are read by JSON's rules in every format, so `2` stays an integer and `2.0` a double.
std::variant<input_packet, std::string> read_input_line(std::string_view line) {
  const auto start = line.find_first_not_of(" \t\r");
  if (start == std::string_view::npos) return std::string("an empty line");
  const bool is_json = line[start] == '[' || line[start] == '{';
  std::string numbers;
  if (!is_json) {
    if (line.find_first_of("[]{}\"") != std::string_view::npos) return std::string("not numbers separated by spaces or commas");
    numbers = "[[";
    bool separated = true;  // a run of separators is one comma
    for (const char c : line.substr(start)) {
      const bool sep = c == ' ' || c == '\t' || c == ',' || c == '\r';
      if (sep && !separated) numbers += ',';
      if (!sep) numbers += c;
      separated = sep;
    }
    if (separated) numbers.pop_back();
    numbers += "]]";
  }
  boost::system::error_code ec;
  const auto v = json::parse(is_json ? line : std::string_view(numbers), ec);
  if (ec) return std::string(is_json ? "not valid JSON" : "not numbers separated by spaces or commas");
  if (v.is_object()) return from_object(v.get_object());
  return from_arrays(v, std::nullopt);
}

}  // namespace arraycast
