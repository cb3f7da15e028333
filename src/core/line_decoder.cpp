#include "core/line_decoder.hpp"

#include <cctype>
#include <charconv>
#include <cmath>

#include <boost/json/value.hpp>
#include <fmt/format.h>

#include "core/exact_json.hpp"
#include "core/values.hpp"

namespace arraycast {

namespace json = boost::json;

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

input_rejection reject(reject_reason r, std::string detail) { return {r, std::move(detail)}; }

// The reason for a message of arrays_from_json: the value's fault or the shape's.
reject_reason reason_of(const std::string& why) {
  if (why.starts_with("more than")) return reject_reason::too_many_values;
  if (why.starts_with("\"arrays\"")) return reject_reason::not_a_packet;
  return reject_reason::bad_value;
}

// One number: an integer when it reads whole as one, else a finite double
// (an integer beyond 64 bits too, as Boost.JSON reads it).
std::optional<value> read_number(std::string_view token) {
  std::int64_t i = 0;
  const auto* end = token.data() + token.size();
  if (auto [p, ec] = std::from_chars(token.data(), end, i); ec == std::errc() && p == end) return value(i);
  double d = 0;
  if (auto [p, ec] = std::from_chars(token.data(), end, d); ec == std::errc() && p == end && std::isfinite(d))
    return value(d);
  return std::nullopt;
}

bool is_separator(char c) { return c == ',' || std::isspace(static_cast<unsigned char>(c)); }

}  // namespace

line_decoder::line_decoder(input_format format, std::size_t group) : format_(format), group_(group == 0 ? 1 : group) {}

line_result line_decoder::feed(std::string_view line) {
  line = trim(line);
  if (line.empty() || line.front() == '#') return {};
  if (format_ == input_format::json) return feed_json(line);
  if (format_ == input_format::numbers) return feed_numbers(line);
  if (line.front() == '{') return feed_json(line);
  if (line.front() != '[') return feed_numbers(line);
  // [[...]] is a packet; [1,2,3] is one array, as a line of numbers.
  if (trim(line.substr(1)).starts_with('[')) return feed_json(line);
  if (line.back() == ']') return feed_numbers(line.substr(1, line.size() - 2));
  return reject(reject_reason::not_a_packet, "a line that starts with '[' but does not end with ']'");
}

line_result line_decoder::feed_json(std::string_view line) {
  boost::system::error_code ec;
  const auto v = parse_json(line, ec);
  if (ec) return reject(reject_reason::not_a_packet, "not JSON: " + ec.message());
  input_packet p;
  const json::value* arrays = &v;
  if (v.is_object()) {
    const auto& o = v.get_object();
    if (o.contains("event")) return {};  // a recording's connected/disconnected/gap line
    arrays = o.if_contains("arrays");
    if (arrays == nullptr) return reject(reject_reason::not_a_packet, "a JSON object needs \"arrays\"");
    if (const auto* ts = o.if_contains("ts")) {
      if (!ts->is_int64()) return reject(reject_reason::not_a_packet, "\"ts\" must be an integer (µs since the epoch)");
      p.ts = ts->get_int64();
    }
  }
  auto read = arrays_from_json(*arrays);
  if (auto* why = std::get_if<std::string>(&read)) return reject(reason_of(*why), *why);
  p.arrays = std::move(std::get<std::vector<array_t>>(read));
  return p;
}

line_result line_decoder::feed_numbers(std::string_view line) {
  array_t a;
  std::size_t at = 0;
  while (at < line.size()) {
    while (at < line.size() && is_separator(line[at])) ++at;
    auto end = at;
    while (end < line.size() && !is_separator(line[end])) ++end;
    if (end == at) break;
    const auto token = line.substr(at, end - at);
    const auto v = read_number(token);
    if (!v) {
      pending_.clear();
      pending_values_ = 0;
      return reject(reject_reason::bad_value, fmt::format("'{:.40}' is not a finite number", token));
    }
    a.push_back(*v);
    at = end;
  }
  return add_to_group(std::move(a));
}

line_result line_decoder::add_to_group(array_t a) {
  pending_values_ += a.size();
  if (pending_values_ > max_packet_values) {
    pending_.clear();
    pending_values_ = 0;
    return reject(reject_reason::too_many_values, fmt::format("more than {} values in one packet", max_packet_values));
  }
  pending_.push_back(std::move(a));
  if (pending_.size() < group_) return {};
  pending_values_ = 0;
  return input_packet{std::exchange(pending_, {}), std::nullopt};
}

std::optional<input_format> parse_input_format(std::string_view name) {
  if (name == "auto") return input_format::automatic;
  if (name == "json") return input_format::json;
  if (name == "numbers") return input_format::numbers;
  return std::nullopt;
}

}  // namespace arraycast
