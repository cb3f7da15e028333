#pragma once

#include <string>
#include <vector>

namespace arraycast {

// Where a client connects: a ws:// or wss:// URL as given (for logs and the
// recording's events) and split for Asio and Beast.
struct ws_endpoint {
  std::string url;
  std::string host;
  std::string port;
  std::string target;
  bool secure = false;  // wss://: TLS, the server's certificate checked
};

// How a client checks a wss:// server: against the system's trusted CAs or
// `ca_file`, host name included, unless `insecure` (development only).
struct client_tls_options {
  std::string ca_file;
  bool insecure = false;
};

// The nodes a client may use, in the order given; never empty once the CLI
// layer has filled it. Clients start on one and move on round robin (failover).
using endpoint_list = std::vector<ws_endpoint>;

// "url1,url2,...": how logs and reports name the whole list.
std::string describe(const endpoint_list& endpoints);

}  // namespace arraycast
