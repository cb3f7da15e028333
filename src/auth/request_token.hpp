#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace arraycast::auth {

// The token a request carries: the credentials of an `Authorization: Bearer`
// header, or else (browsers cannot set headers on a WebSocket) the `token`
// parameter of the target's query. nullopt when there is none, or when the
// header is present but not a well-formed Bearer header: a malformed header
// is refused, not passed over for the query. Pure; bad input never throws.
std::optional<std::string> request_token(std::string_view authorization, std::string_view target);

// `target` without its query: what a log line may print (a token travels in queries).
std::string_view without_query(std::string_view target);

}  // namespace arraycast::auth
