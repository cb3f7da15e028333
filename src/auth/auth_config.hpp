#pragma once

#include <string>
#include <vector>

namespace arraycast::auth {

// The serve command's access settings, filled from its flags.
struct auth_config {
  bool enabled = false;                      // --auth: off keeps a localhost tool free of ceremony
  std::string jwt_secret_file;               // HS256 shared secret; empty: HS256 refused
  std::string jwt_public_key_file;           // RS256 public key (PEM); empty: RS256 refused
  std::string token_file;                    // static tokens, reloaded on SIGHUP; empty: none
  std::vector<std::string> allowed_origins;  // beside the server's own, which is always allowed
};

}  // namespace arraycast::auth
