#include "core/hello_query.hpp"

#include <array>
#include <charconv>

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <fmt/format.h>

namespace arraycast::protocol {

namespace {

constexpr std::array<std::string_view, 4> hello_keys{"name", "epoch", "last_seq", "encoding"};

decode_error bad_query(std::string message) { return {"bad_message", "in the URL's query: " + std::move(message)}; }

std::optional<std::uint64_t> whole_number(std::string_view text) {
  std::uint64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return n;
}

// The value of `key`, decoded; nullopt when absent. A key given twice is
// refused by the caller: which one would win is anybody's guess.
std::optional<std::string> value_of(const boost::urls::params_view& params, std::string_view key) {
  const auto it = params.find(key);
  if (it == params.end()) return std::nullopt;
  return std::string((*it).value);
}

}  // namespace

std::variant<decode_error, std::optional<hello>> hello_from_query(std::string_view target,
                                                                  const std::string& default_name) {
  const auto url = boost::urls::parse_origin_form(target);
  if (!url) return bad_query("not a valid URL target");
  const auto params = url->params();
  bool named = false;
  for (const auto key : hello_keys) {
    const auto n = params.count(key);
    if (n > 1) return bad_query(fmt::format("\"{}\" is given {} times", key, n));
    named = named || n == 1;
  }
  if (!named) return std::optional<hello>{};

  hello h{value_of(params, "name").value_or(default_name), std::nullopt, std::nullopt, encoding::json};
  if (!is_valid_name(h.name)) return bad_query("\"name\" must be 1 to 64 bytes (UTF-8) without control characters");
  for (auto [key, field] : {std::pair{"epoch", &h.epoch}, std::pair{"last_seq", &h.last_seq}}) {
    const auto text = value_of(params, key);
    if (!text) continue;
    *field = whole_number(*text);
    if (!*field) return bad_query(fmt::format("\"{}\" must be a whole number, not \"{}\"", key, *text));
  }
  if (h.epoch.has_value() != h.last_seq.has_value()) return bad_query("give both \"epoch\" and \"last_seq\", or neither");
  if (const auto enc = value_of(params, "encoding")) {
    const auto parsed = parse_encoding(*enc);
    if (!parsed) return bad_query("\"encoding\" must be \"json\" or \"binary\"");
    h.enc = *parsed;
  }
  return std::optional<hello>{std::move(h)};
}

std::string with_hello(std::string_view target, const hello& h) {
  boost::urls::url url(target);
  auto params = url.params();
  params.append({"name", h.name});
  if (h.epoch) params.append({"epoch", std::to_string(*h.epoch)});
  if (h.last_seq) params.append({"last_seq", std::to_string(*h.last_seq)});
  if (h.enc != encoding::json) params.append({"encoding", std::string(encoding_name(h.enc))});
  return std::string(url.buffer());
}

}  // namespace arraycast::protocol
