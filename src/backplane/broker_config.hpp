#pragma once

#include <chrono>
#include <cstdint>
#include <algorithm>
#include <string>
#include <vector>

namespace arraycast {

using namespace std::chrono_literals;

// How a node shares one stream with other nodes through NATS JetStream.
// An empty url means no broker: one node, as `serve` always was.
struct broker_config {
  std::string url;                      // nats://host:port, or several, comma-separated
  std::string stream = "arraycast";     // the JetStream stream; its subject is "arraycast.<stream>"
  bool relay = false;                   // fan out only; the node runs no source
  bool standby = false;                 // start the source only once the active producer is gone
  bool wait = false;                    // at start, wait for an unreachable broker instead of exiting
  std::int64_t retain = 1'000'000;      // packets the stream keeps: 23 days of the default stream
  std::chrono::microseconds retain_for = 0s;  // and at most this old; 0: no age limit
  std::chrono::microseconds takeover_after = 2s;  // a producer silent this long is gone: 4 of its
                                                  // heartbeats missed
  static constexpr auto heartbeat = 500ms;         // how often the active producer says it is alive

  bool enabled() const { return !url.empty(); }
  // Each URL of a comma-separated list (the servers of a NATS cluster).
  std::vector<std::string> urls() const {
    std::vector<std::string> out;
    for (std::size_t start = 0; start <= url.size();) {
      const auto end = std::min(url.find(',', start), url.size());
      out.push_back(url.substr(start, end - start));
      start = end + 1;
    }
    return out;
  }
  std::string subject() const { return "arraycast." + stream; }
  // Core NATS, not stored: the producer's heartbeats for standbys.
  std::string alive_subject() const { return "arraycast-alive." + stream; }
};

}  // namespace arraycast
