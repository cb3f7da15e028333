#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "auth/auth_config.hpp"
#include "auth/identity.hpp"
#include "auth/jwt_verifier.hpp"
#include "auth/token_file.hpp"

namespace arraycast::auth {

// Why a request is turned away: 401 (no token, or not one we accept) or 403
// (a good token without the scope the route needs).
enum class refusal { unauthorized, forbidden };
using verdict = std::variant<identity, refusal>;

// The scope a path needs; nullopt for an open one (/healthz, and the
// dashboard's script and style files, which hold nothing but code that is
// public anyway and which a browser fetches without the page's token).
// `public_file`: the path is one of those files.
std::optional<scope> route_scope(std::string_view path, bool public_file);

// The one question the HTTP layer asks per request: may it proceed, as whom?
// Holds the keys and token files that --auth names; built at start, after
// which admit() may run on every event loop at once.
class gate {
public:
  // Reads every file the config names; throws std::runtime_error naming a
  // file that cannot be read or parsed.
  explicit gate(const auth_config& config);

  // With --auth off: everyone, with every scope and no name.
  verdict admit(std::string_view authorization, std::string_view target, std::optional<scope> needed,
                std::chrono::system_clock::time_point now) const;
  bool origin_allowed(std::string_view origin, std::string_view scheme, std::string_view host) const;
  // Re-reads the token file (SIGHUP); throws like the constructor, keeping the old tokens.
  void reload();
  bool reloadable() const { return tokens_ != nullptr; }

private:
  std::optional<identity> identify(const std::string& token, std::chrono::system_clock::time_point now) const;

  const auth_config config_;
  std::optional<jwt_verifier> jwt_;        // when a secret or a public key is given
  std::unique_ptr<static_tokens> tokens_;  // when a token file is given; itself thread-safe
};

}  // namespace arraycast::auth
