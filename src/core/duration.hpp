#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace arraycast {

// Parses "250us", "500ms", "2s", "5m", "1h" (a non-negative integer and a unit).
// Returns nullopt for anything else, including a missing unit.
std::optional<std::chrono::microseconds> parse_duration(std::string_view text);

}  // namespace arraycast
