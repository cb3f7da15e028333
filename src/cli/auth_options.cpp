#include "cli/auth_options.hpp"

#include <boost/url/parse.hpp>

#include "auth/gate.hpp"

namespace arraycast {

namespace {

// scheme://host[:port], nothing after it: what a browser sends as Origin.
void check_origin(const std::string& origin) {
  const auto url = boost::urls::parse_absolute_uri(origin);
  const bool web = url && (url->scheme() == "http" || url->scheme() == "https");
  if (!web || url->encoded_host().empty() || (!url->path().empty() && url->path() != "/") || url->has_query() ||
      url->has_userinfo())
    throw CLI::ValidationError("--allow-origin", "'" + origin + "' is not an origin (e.g. https://example.com:8443)");
}

}  // namespace

void add_auth_options(CLI::App& cmd, auth::auth_config& cfg) {
  cmd.add_flag("--auth", cfg.enabled,
               "require a token on every request but /healthz (a JWT or a --token-file token; see README)");
  cmd.add_option("--jwt-secret-file", cfg.jwt_secret_file, "--auth: accept HS256 JWTs signed with this file's secret");
  cmd.add_option("--jwt-public-key", cfg.jwt_public_key_file,
                 "--auth: accept RS256 JWTs signed for this PEM public key");
  cmd.add_option("--token-file", cfg.token_file,
                 "--auth: static tokens, one 'token scope...' a line (scopes: read publish admin); reread on SIGHUP");
  cmd.add_option("--allow-origin", cfg.allowed_origins,
                 "a browser page's origin allowed to open WebSockets besides the server's own (repeatable)");
}

void check_auth(const auth::auth_config& cfg) {
  for (const auto& o : cfg.allowed_origins) check_origin(o);
  const bool keyed = !cfg.jwt_secret_file.empty() || !cfg.jwt_public_key_file.empty() || !cfg.token_file.empty();
  if (!cfg.enabled) {
    if (keyed) throw CLI::ValidationError("--auth", "--jwt-secret-file, --jwt-public-key and --token-file need --auth");
    return;
  }
  if (!keyed)
    throw CLI::ValidationError("--auth", "--auth needs --jwt-secret-file, --jwt-public-key or --token-file: "
                                         "otherwise no token could be accepted");
  try {
    const auth::gate loads_every_file(cfg);
  } catch (const std::exception& e) {
    throw CLI::ValidationError("--auth", e.what());
  }
}

}  // namespace arraycast
