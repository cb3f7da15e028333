#include "core/exact_json.hpp"

#include <charconv>
#include <string>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>

namespace arraycast {

namespace json = boost::json;

namespace {

// Builds values as json::parser does, but reads doubles with from_chars,
// which rounds correctly.
struct exact_handler {
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();

  json::value_stack st;
  std::string number;  // a number's text split across buffers; one buffer here, but kept correct

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) { return true; }
  bool on_object_end(std::size_t n, json::error_code&) { return st.push_object(n), true; }
  bool on_array_begin(json::error_code&) { return true; }
  bool on_array_end(std::size_t n, json::error_code&) { return st.push_array(n), true; }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) { return st.push_chars(s), true; }
  bool on_key(json::string_view s, std::size_t, json::error_code&) { return st.push_key(s), true; }
  bool on_string_part(json::string_view s, std::size_t, json::error_code&) { return st.push_chars(s), true; }
  bool on_string(json::string_view s, std::size_t, json::error_code&) { return st.push_string(s), true; }
  bool on_number_part(json::string_view s, json::error_code&) { return number.append(s.data(), s.size()), true; }
  bool on_int64(std::int64_t i, json::string_view, json::error_code&) { return number.clear(), st.push_int64(i), true; }
  bool on_uint64(std::uint64_t u, json::string_view, json::error_code&) {
    return number.clear(), st.push_uint64(u), true;
  }
  bool on_double(double d, json::string_view s, json::error_code&) {
    number.append(s.data(), s.size());
    std::from_chars(number.data(), number.data() + number.size(), d);  // keeps Boost's d if it cannot read it
    number.clear();
    return st.push_double(d), true;
  }
  bool on_bool(bool b, json::error_code&) { return st.push_bool(b), true; }
  bool on_null(json::error_code&) { return st.push_null(), true; }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }
};

}  // namespace

json::value parse_json(std::string_view text, boost::system::error_code& ec) {
  json::basic_parser<exact_handler> p(json::parse_options{});
  p.handler().st.reset();
  const auto used = p.write_some(false, text.data(), text.size(), ec);
  if (!ec && used < text.size()) ec = json::error::extra_data;
  if (ec) return nullptr;
  return p.handler().st.release();
}

}  // namespace arraycast
