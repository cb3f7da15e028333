#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "auth/scope.hpp"

namespace arraycast::auth {

// Who a request's token says it comes from, and what it may do.
struct identity {
  std::string name;                                          // a JWT's `sub`; empty for a static token
  scope_set scopes;
  std::optional<std::chrono::system_clock::time_point> expires;  // a JWT's `exp`; none for a static token
};

}  // namespace arraycast::auth
