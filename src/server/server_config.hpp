#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "auth/auth_config.hpp"
#include "backplane/broker_config.hpp"
#include "server/receipt_log.hpp"
#include "source/source_config.hpp"

namespace arraycast {

using namespace std::chrono_literals;

// Per-connection limits; every session gets a copy.
struct session_limits {
  std::size_t max_queue = 256;               // live messages waiting to be sent: 8 min of the default stream,
                                             // 2.5 s at 100 packets/s, then the client is "slow"
  std::size_t max_message = 4096;            // client messages are hello and ack, well under 200 bytes
  std::size_t max_publish_message = 1024 * 1024;  // a producer's packet: 50,000 values of JSON, and one
                                                  // such message held at a time per producer
  std::chrono::microseconds ping_interval = 10s;   // silence before we ask "are you there?"
  std::chrono::microseconds ping_timeout = 10s;    // ...and how long the answer may take
  std::chrono::microseconds handshake_timeout = 10s;  // a TCP connection that never upgrades
  std::chrono::microseconds hello_wait = 1s;       // after the welcome, for a hello message; then the client
                                                   // is a plain one and gets the live stream. A client sends its
                                                   // hello on opening: a round trip across the world fits
  std::chrono::microseconds keepalive_idle = 5s;   // between requests on a keep-alive connection (at most
                                                   // handshake_timeout): a poller that pauses longer reconnects
  std::size_t max_requests = 100;            // requests on one keep-alive connection, then "Connection: close":
                                             // polling cannot hold a descriptor forever
  receipt_policy receipts;                   // a line per ack at the seed's pace, bounded above it
};

// PEM files of the certificate chain and its key: set, the port speaks only
// TLS (wss://, https://).
struct tls_files {
  std::string cert;
  std::string key;
  bool enabled() const { return !cert.empty(); }
};

// Limits per client address: an IPv4 address, or an IPv6 /64 (what one
// subscriber is usually given). Off by default: behind a reverse proxy or a
// NAT every client has the same address, and --max-clients bounds the total.
struct address_policy {
  std::size_t max_clients = 0;                     // WebSocket clients per address; 0: no cap
  std::chrono::microseconds handshake_interval{0};  // one upgrade per interval per address; 0: no rate limit
  std::size_t handshake_burst = 1;                 // upgrades at once before the rate applies
  std::size_t max_tracked = 10'000;                // addresses the rate limit remembers (~1 MB); the
                                                   // least recently seen is forgotten first
};

struct server_config {
  std::string host = "127.0.0.1";            // loopback unless asked: --auth is off by default
  std::uint16_t port = 6969;
  source_config source;
  bool exit_on_eof = false;                  // a source that ends leaves the server serving history
  std::size_t history = 1024;                // packets kept for resume: 34 min of the default stream
  std::size_t max_clients = 10000;           // leaves head-room under the 20,000 open-file limit
  // Every TCP connection, clients included. By default max_clients plus this head-room for
  // dashboards, scrapers and handshakes: 11,000, still under the 20,000 open-file limit.
  static constexpr std::size_t connection_headroom = 1000;
  std::size_t max_connections = max_clients + connection_headroom;
  unsigned threads = 1;                      // event-loop threads
  bool allow_publish = false;                // /publish takes packets from anyone who connects, unless --auth
  bool echo = false;                         // /echo for RFC 6455 conformance suites; off: not a product feature
  session_limits limits;
  broker_config broker;                      // empty url: one node, no broker
  tls_files tls;
  address_policy addresses;                  // per-address limits, off unless asked
  auth::auth_config auth;                    // --auth off: open, as on localhost; origins are checked either way
};

}  // namespace arraycast
