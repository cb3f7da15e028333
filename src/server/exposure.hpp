#pragma once

#include <optional>
#include <string>

namespace arraycast {

// What protects a server that others can reach.
struct exposure {
  std::string host;   // the address it listens on
  bool tls = false;   // --tls-cert: traffic encrypted, the server authenticated
  bool auth = false;  // --auth: every client needs a token
};

// The one warning to print at start when the server listens beyond this
// machine (any address but loopback) without TLS or without auth, naming
// what is missing; none on loopback or with both.
std::optional<std::string> exposure_warning(const exposure& e);

}  // namespace arraycast
