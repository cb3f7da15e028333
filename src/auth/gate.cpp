#include "auth/gate.hpp"

#include "auth/key_file.hpp"
#include "auth/origin.hpp"
#include "auth/request_token.hpp"

namespace arraycast::auth {

std::optional<scope> route_scope(std::string_view path, bool public_file) {
  if (path == "/healthz" || public_file) return std::nullopt;
  if (path == "/publish") return scope::publish;
  if (path == "/clients" || path == "/metrics") return scope::admin;
  return scope::read;  // the stream, the page, and everything unknown: a 404 is no business of a stranger's
}

gate::gate(const auth_config& config) : config_(config) {
  if (!config.enabled) return;
  std::string secret;
  std::string pem;
  if (!config.jwt_secret_file.empty()) secret = read_jwt_secret(config.jwt_secret_file);
  if (!config.jwt_public_key_file.empty()) pem = read_key_file(config.jwt_public_key_file, "JWT public key");
  if (!secret.empty() || !pem.empty()) jwt_.emplace(std::move(secret), std::move(pem));
  if (!config.token_file.empty()) tokens_ = std::make_unique<static_tokens>(config.token_file);
}

std::optional<identity> gate::identify(const std::string& token, std::chrono::system_clock::time_point now) const {
  if (tokens_)
    if (auto who = tokens_->find(token)) return who;
  if (jwt_) return jwt_->verify(token, now);
  return std::nullopt;
}

verdict gate::admit(std::string_view authorization, std::string_view target, std::optional<scope> needed,
                    std::chrono::system_clock::time_point now) const {
  if (!config_.enabled) return identity{{}, scope_set::all(), std::nullopt};
  if (!needed) return identity{};
  const auto token = request_token(authorization, target);
  if (!token) return refusal::unauthorized;
  auto who = identify(*token, now);
  if (!who) return refusal::unauthorized;
  if (!who->scopes.has(*needed)) return refusal::forbidden;
  return *who;
}

bool gate::origin_allowed(std::string_view origin, std::string_view scheme, std::string_view host) const {
  return auth::origin_allowed(origin, scheme, host, config_.allowed_origins);
}

void gate::reload() {
  if (tokens_) tokens_->reload();
}

}  // namespace arraycast::auth
