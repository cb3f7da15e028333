#include "auth/request_token.hpp"

#include <algorithm>
#include <cctype>

#include <boost/url/parse.hpp>

namespace arraycast::auth {

namespace {

// RFC 6750's b64token: what a Bearer credential may consist of.
bool is_b64token(std::string_view t) {
  const auto body = t.substr(0, t.find_last_not_of('=') + 1);
  if (body.empty()) return false;
  return std::all_of(body.begin(), body.end(), [](unsigned char c) {
    return std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
  });
}

std::optional<std::string> bearer(std::string_view header) {
  constexpr std::string_view scheme = "bearer ";
  if (header.size() <= scheme.size()) return std::nullopt;
  const bool named = std::equal(scheme.begin(), scheme.end(), header.begin(),
                                [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); });
  if (!named) return std::nullopt;
  auto credentials = header.substr(scheme.size());
  credentials.remove_prefix(std::min(credentials.find_first_not_of(' '), credentials.size()));
  if (!is_b64token(credentials)) return std::nullopt;
  return std::string(credentials);
}

std::optional<std::string> query_token(std::string_view target) {
  const auto url = boost::urls::parse_origin_form(target);
  if (!url) return std::nullopt;
  const auto params = url->params();
  const auto it = params.find("token");
  if (it == params.end() || !(*it).has_value || (*it).value.empty()) return std::nullopt;
  return std::string((*it).value);
}

}  // namespace

std::optional<std::string> request_token(std::string_view authorization, std::string_view target) {
  if (!authorization.empty()) return bearer(authorization);
  return query_token(target);
}

std::string_view without_query(std::string_view target) { return target.substr(0, target.find('?')); }

}  // namespace arraycast::auth
