#pragma once

#include <cstdint>

// The close codes arraycast sends, with their reconnect semantics.
// docs/PROTOCOL.md holds the same catalog for client writers.
namespace arraycast::close_code {

inline constexpr std::uint16_t normal = 1000;        // client asked to stop (recorder SIGINT)
inline constexpr std::uint16_t going_away = 1001;    // server shutting down: reconnect
inline constexpr std::uint16_t policy = 1008;        // too many bad messages from the peer
inline constexpr std::uint16_t too_big = 1009;       // client message over the size limit
inline constexpr std::uint16_t try_later = 1013;     // slow consumer: reconnect with backoff, resume from history

// Application range. 4000-4499: the client should reconnect;
// 4500-4999: it must not (reconnecting would fail the same way).
inline constexpr std::uint16_t app_reconnect_first = 4000;
inline constexpr std::uint16_t app_no_reconnect_first = 4500;
inline constexpr std::uint16_t app_last = 4999;

// The token a client connected with (--auth) expired: reconnecting with the
// same token would be refused, so this is in the no-reconnect range.
inline constexpr std::uint16_t token_expired = 4501;

// Whether a client that received `code` should try again.
constexpr bool should_reconnect(std::uint16_t code) {
  return code < app_no_reconnect_first || code > app_last;
}

}  // namespace arraycast::close_code
