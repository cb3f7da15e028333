#pragma once

#include <string>
#include <string_view>

#include "util/net.hpp"

namespace arraycast {

class hub;

using http_request = http::request<http::string_body>;
using http_response = http::response<http::string_body>;

// The plain-HTTP side of the server's one port. Every GET is answered from
// memory, without I/O and without holding the hub's lock beyond its snapshot:
//   /               the dashboard (web/, embedded at build time), and its files
//   /healthz        {"status":"ok","clients":N}
//   /metrics        Prometheus text exposition format
//   /clients        JSON list of connected clients
// HEAD gets the same headers without a body; other methods get 405.
http_response route(const http_request& req, hub& h);

// A response with the server's common headers, ready to write.
http_response text_response(const http_request& req, http::status status, std::string body,
                            std::string_view type = "text/plain; charset=utf-8");

}  // namespace arraycast
