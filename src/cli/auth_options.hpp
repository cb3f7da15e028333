#pragma once

#include <CLI/CLI.hpp>

#include "auth/auth_config.hpp"

namespace arraycast {

// serve's access flags: --auth, --jwt-secret-file, --jwt-public-key,
// --token-file, --allow-origin.
void add_auth_options(CLI::App& cmd, auth::auth_config& cfg);
// Throws CLI::ValidationError naming the flag: --auth without a key or token
// file, a key flag without --auth, a file that cannot be read or parsed, an
// --allow-origin that is not an origin.
void check_auth(const auth::auth_config& cfg);

}  // namespace arraycast
