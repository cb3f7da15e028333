#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace arraycast::auth {

// Whether a WebSocket upgrade's `Origin` may open the connection. A browser
// sends Origin; a page from another site must not read the stream through a
// visitor's browser. Passes: no Origin (not a browser), the server's own
// origin (`scheme`://`host`, host as the request's Host header names it),
// and any of `allowed` (--allow-origin). Compared without case, and without
// a trailing slash on an allowed entry.
bool origin_allowed(std::string_view origin, std::string_view scheme, std::string_view host,
                    const std::vector<std::string>& allowed);

}  // namespace arraycast::auth
