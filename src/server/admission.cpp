#include "server/admission.hpp"

#include <algorithm>
#include <mutex>

#include <spdlog/spdlog.h>

#include "auth/request_token.hpp"
#include "core/log_budget.hpp"
#include "server/web_assets.hpp"

namespace arraycast {

namespace {

// The dashboard's script and style files: every file but the page itself.
bool public_file(std::string_view path) {
  const auto assets = web_assets();
  return std::any_of(assets.begin(), assets.end(), [&](const web_asset& a) {
    return a.path == path && !a.content_type.starts_with("text/html");
  });
}

http_response refuse(const http_request& req, auth::refusal why) {
  const bool unauthorized = why == auth::refusal::unauthorized;
  auto res = text_response(req, unauthorized ? http::status::unauthorized : http::status::forbidden,
                           unauthorized ? "unauthorized\n" : "forbidden\n");
  if (unauthorized) res.set(http::field::www_authenticate, "Bearer");
  if (websocket::is_upgrade(req)) res.keep_alive(false);
  return res;
}

// Refusals are an outsider's to trigger: at most 10 lines a minute from every
// loop together, then one line says how many were held back.
bool worth_logging() {
  static std::mutex mutex;
  static log_budget budget(10, std::chrono::minutes(1));  // guarded by mutex
  log_budget::verdict v;
  {
    const std::lock_guard lock(mutex);
    v = budget.take(log_budget::clock::now());
  }
  if (v.held_back > 0) spdlog::info("{} more refused requests were not logged", v.held_back);
  return v.log;
}

template <class... Args>
void log_refusal(spdlog::level::level_enum level, fmt::format_string<Args...> format, Args&&... args) {
  if (worth_logging()) spdlog::log(level, format, std::forward<Args>(args)...);
}

}  // namespace

std::variant<auth::identity, http_response> admit(const auth::gate& gate, const http_request& req,
                                                  std::string_view scheme) {
  const auto path = auth::without_query(req.target());
  if (websocket::is_upgrade(req) && !gate.origin_allowed(req[http::field::origin], scheme, req[http::field::host])) {
    log_refusal(spdlog::level::warn, "refusing a WebSocket upgrade of {} from origin {}: not this server's "
                "(--allow-origin)", path, std::string_view(req[http::field::origin]));
    return refuse(req, auth::refusal::forbidden);
  }
  auto verdict = gate.admit(req[http::field::authorization], req.target(), auth::route_scope(path, public_file(path)),
                            std::chrono::system_clock::now());
  if (auto* who = std::get_if<auth::identity>(&verdict)) return std::move(*who);
  const auto why = std::get<auth::refusal>(verdict);
  log_refusal(spdlog::level::info, "refusing a request for {}: {}", path,
              why == auth::refusal::unauthorized ? "no valid token" : "the token lacks the scope");
  return refuse(req, why);
}

}  // namespace arraycast
