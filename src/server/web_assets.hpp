#pragma once

#include <span>
#include <string_view>

namespace arraycast {

// One file of the dashboard, compiled into the binary.
struct web_asset {
  std::string_view path;          // "/index.html", "/dashboard.js", ...
  std::string_view content_type;
  std::string_view body;
};

// Every dashboard file. Defined in a source generated at build time from
// web/ by cmake/WebAssets.cmake (esbuild bundle, then cmake/EmbedFiles.cmake);
// static data, safe from any thread.
std::span<const web_asset> web_assets();

}  // namespace arraycast
