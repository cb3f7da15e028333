#pragma once

#include <string>
#include <string_view>

#include "auth/gate.hpp"
#include "server/render_cache.hpp"
#include "util/net.hpp"

namespace arraycast {

class hub;

using http_request = http::request<http::string_body>;
using http_response = http::response<http::string_body>;

// The plain-HTTP side of the server's one port. Every GET is answered from
// memory, without I/O and without holding the hub's lock beyond its snapshot:
//   /               the dashboard (web/, embedded at build time), and its files
//   /healthz        {"status":"ok","clients":N,"source":"running"|"ended"}
//   /metrics        Prometheus text exposition format
//   /clients        JSON list of connected clients
// /metrics and /clients cost O(clients): each is rendered at most once per
// render_ttl while the client count stays the same (see render_cache).
// HEAD gets the same headers without a body; other methods get 405.
// Thread-safe: every event loop's http_sessions share one.
class http_routes {
public:
  static constexpr auto render_ttl = std::chrono::seconds(1);

  http_routes(hub& h, const auth::gate& gate) : hub_(h), gate_(gate), metrics_(render_ttl), clients_(render_ttl) {}
  http_response operator()(const http_request& req);
  // Who may reach which route (see server/admission): every session asks it first.
  const auth::gate& gate() const { return gate_; }

private:
  http_response get(const http_request& req);
  std::string cached(render_cache& cache, const std::function<std::string()>& render);
  // `,"broker":"connected"` (or disconnected) on a node of a broker's stream; "" on a single node.
  std::string broker_state();

  hub& hub_;
  const auth::gate& gate_;  // thread-safe, outlives every session
  render_cache metrics_;  // the /metrics body
  render_cache clients_;  // the /clients body
};

// A response with the server's common headers, ready to write.
http_response text_response(const http_request& req, http::status status, std::string body,
                            std::string_view type = "text/plain; charset=utf-8");

}  // namespace arraycast
