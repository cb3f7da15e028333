#pragma once

#include <string_view>
#include <variant>

#include "auth/gate.hpp"
#include "server/http_routes.hpp"

namespace arraycast {

// Whether a request may reach its route or its upgrade, asked of the gate
// once per request before anything else: the identity it proceeds as, or the
// response that refuses it. 401 (with `WWW-Authenticate: Bearer`) and 403
// bodies say only that, never which check failed. An upgrade is also refused
// with 403 when it carries a foreign Origin. `scheme`: the server's own, for
// its origin ("http" on a plain-TCP port, "https" under TLS).
std::variant<auth::identity, http_response> admit(const auth::gate& gate, const http_request& req,
                                                  std::string_view scheme);

}  // namespace arraycast
