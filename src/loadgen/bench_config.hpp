#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "core/protocol.hpp"
#include "core/ws_endpoint.hpp"

namespace arraycast {

using namespace std::chrono_literals;

// What `arraycast bench` runs: filled and validated by the CLI layer.
struct bench_config {
  endpoint_list endpoints{{"ws://127.0.0.1:6969/", "127.0.0.1", "6969", "/"}};  // --url: client k starts on k mod n
  client_tls_options tls;                    // --ca, --insecure: for wss:// URLs
  std::size_t clients = 100;
  std::chrono::microseconds duration = 10s;  // the measured window, after every client has connected
  unsigned threads = 1;                      // event loops, one io_context each; the CLI defaults to the cores
  double connect_rate = 1000;                // connections started per second: a storm of SYNs overflows
                                             // the server's accept backlog and measures the kernel, not it
  bool json = false;
  bool ack = false;                          // ack every packet, as recorders do: the server's ack path under load
  protocol::encoding encoding = protocol::encoding::json;  // what every client asks for in its hello
  std::optional<int> server_pid;             // read its CPU time and memory from /proc
  std::string token;                         // --token/--token-file: sent as a Bearer token; empty: none
  std::string name_prefix = "bench";         // hello names are <prefix><index>
  std::size_t first_index = 0;               // offset of this process's client indices (several processes)
  unsigned source_addresses = 64;            // bind client i to 127.0.0.(1 + i % N): N × ~28k ephemeral ports
  std::chrono::microseconds connect_timeout = 10s;  // TCP connect plus WebSocket handshake, per client

  // Reconnects: the recorder's schedule (100 ms doubling to 5 s, jittered),
  // so a storm measures what real recorders would see, not an eager client.
  std::chrono::milliseconds backoff_initial = 100ms;
  std::chrono::milliseconds backoff_max = 5s;

  // Spawned server (--spawn): run through /bin/sh; must listen on host:port.
  std::string spawn;                         // empty: the server is someone else's
  std::chrono::microseconds listen_timeout = 10s;  // from spawn until it accepts TCP
  std::chrono::microseconds stop_timeout = 5s;     // from SIGTERM until SIGKILL
  std::chrono::microseconds kill_after{0};   // into the window: SIGKILL and respawn it (a storm); 0: never
};

}  // namespace arraycast
