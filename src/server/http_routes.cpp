#include "server/http_routes.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include "server/hub.hpp"
#include "server/metrics.hpp"
#include "server/web_assets.hpp"

namespace arraycast {

namespace {

namespace json = boost::json;

// The page may talk to this server only: nothing is fetched from elsewhere.
// uPlot sets inline styles on its elements, hence 'unsafe-inline' for styles.
constexpr const char* dashboard_csp =
    "default-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:";

std::string clients_json(const stream_snapshot& s) {
  json::array list;
  list.reserve(s.clients.size());
  for (const auto& c : s.clients)
    list.push_back(json::object{
        {"name", c.name},
        {"address", c.address},
        {"connected_since", c.connected_since},
        {"last_acked", c.last_acked},
        {"last_ack_at", c.last_ack_at ? json::value(c.last_ack_at) : json::value(nullptr)},
        {"lag", c.lag},
        {"queued", c.queued},
    });
  return json::serialize(list) + "\n";
}

const web_asset* find_asset(std::string_view path) {
  if (path == "/") path = "/index.html";
  for (const auto& a : web_assets())
    if (a.path == path) return &a;
  return nullptr;
}

http_response asset_response(const http_request& req, const web_asset& a) {
  auto res = text_response(req, http::status::ok, std::string(a.body), a.content_type);
  // Assets change only with the binary; revalidating keeps an upgrade visible.
  res.set(http::field::cache_control, "no-cache");
  if (a.content_type.starts_with("text/html")) res.set("Content-Security-Policy", dashboard_csp);
  return res;
}

}  // namespace

std::string http_routes::cached(render_cache& cache, const std::function<std::string()>& render) {
  return *cache.get(hub_.clients(), render);
}

std::string http_routes::broker_state() {
  const auto& b = hub_.metrics().broker;
  if (!b.enabled.load()) return "";
  return fmt::format(",\"broker\":\"{}\"", b.connected.load() ? "connected" : "disconnected");
}

http_response http_routes::get(const http_request& req) {
  const auto target = std::string_view(req.target());
  const auto path = target.substr(0, target.find('?'));
  if (path == "/healthz")
    return text_response(req, http::status::ok,
                         fmt::format("{{\"status\":\"ok\",\"clients\":{},\"source\":\"{}\"{}}}\n", hub_.clients(),
                                     hub_.metrics().source_ended.load() ? "ended" : "running", broker_state()),
                         "application/json");
  if (path == "/metrics")
    return text_response(req, http::status::ok,
                         cached(metrics_, [this] { return render_prometheus(hub_.metrics(), hub_.snapshot()); }),
                         "text/plain; version=0.0.4; charset=utf-8");
  if (path == "/clients") {
    auto res = text_response(req, http::status::ok, cached(clients_, [this] { return clients_json(hub_.snapshot()); }),
                             "application/json");
    res.set(http::field::cache_control, "no-store");
    return res;
  }
  if (const auto* a = find_asset(path)) return asset_response(req, *a);
  return text_response(req, http::status::not_found,
                       "not found; the dashboard is on /, the stream is a WebSocket upgrade on /\n");
}

http_response text_response(const http_request& req, http::status status, std::string body, std::string_view type) {
  http_response res{status, req.version()};
  res.set(http::field::server, "arraycast");
  res.set(http::field::content_type, type);
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

http_response http_routes::operator()(const http_request& req) {
  if (req.method() != http::verb::get && req.method() != http::verb::head) {
    auto res = text_response(req, http::status::method_not_allowed, "only GET and HEAD are served here\n");
    res.set(http::field::allow, "GET, HEAD");
    return res;
  }
  auto res = get(req);
  if (req.method() == http::verb::head) res.body().clear();  // Content-Length stays that of the GET
  return res;
}

}  // namespace arraycast
