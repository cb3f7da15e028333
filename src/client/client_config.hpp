#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/protocol.hpp"
#include "core/ws_endpoint.hpp"
#include "recorder/sink.hpp"

namespace arraycast {

using namespace std::chrono_literals;

struct record_config {
  endpoint_list endpoints{{"ws://127.0.0.1:6969/", "127.0.0.1", "6969", "/"}};  // --url: failed over in turn
  client_tls_options tls;                    // --ca, --insecure: for wss:// URLs
  std::string name = "client1";
  std::string token;                         // --token/--token-file: sent as a Bearer token; empty: none
  std::string out;                           // default: <name>.txt
  sink_format format = sink_format::txt;
  protocol::encoding encoding = protocol::encoding::json;  // JSON unless asked: readable on the wire
  std::optional<unsigned> max_retries;       // failed attempts in a row, on any node; unset: forever, the recorder's job
  std::chrono::milliseconds backoff_initial = 100ms;  // first retry soon: most outages are restarts
  std::chrono::milliseconds backoff_max = 5s;         // and never wait long once the server is back
  std::chrono::microseconds ping_interval = 10s;      // silence before we ping the server
  std::chrono::microseconds ping_timeout = 10s;       // ...and how long its answer may take
  std::chrono::microseconds connect_timeout = 10s;    // name lookup, TCP connect and WebSocket handshake
  std::chrono::seconds status_every = 10s;            // packets-so-far line on stderr
};

}  // namespace arraycast
