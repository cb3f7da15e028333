#include "recorder/sink.hpp"

#include "recorder/csv_sink.hpp"
#include "recorder/jsonl_sink.hpp"
#include "recorder/txt_sink.hpp"

namespace arraycast {

std::optional<sink_format> parse_format(const std::string& name) {
  if (name == "txt") return sink_format::txt;
  if (name == "jsonl") return sink_format::jsonl;
  if (name == "csv") return sink_format::csv;
  return std::nullopt;
}

sink_format format_for_path(const std::string& path) {
  const auto dot = path.rfind('.');
  if (dot == std::string::npos || path.find('/', dot) != std::string::npos) return sink_format::txt;
  return parse_format(path.substr(dot + 1)).value_or(sink_format::txt);
}

std::unique_ptr<sink> make_sink(sink_format format, const std::string& path) {
  switch (format) {
    case sink_format::jsonl: return std::make_unique<jsonl_sink>(path);
    case sink_format::csv: return std::make_unique<csv_sink>(path);
    case sink_format::txt: break;
  }
  return std::make_unique<txt_sink>(path);
}

}  // namespace arraycast
