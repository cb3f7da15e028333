#pragma once

#include <memory>
#include <mutex>
#include <string>

#include <boost/asio/ssl/context.hpp>

#include "core/ws_endpoint.hpp"
#include "transport/transport.hpp"

namespace arraycast {

// The server's certificate chain and key, loaded at start and swapped on
// SIGHUP. A connection keeps the context it was accepted with, so a reload
// drops nobody: only new handshakes see the new pair.
// Threading: any thread; current() and reload() lock.
class server_tls {
public:
  // Throws std::runtime_error naming the file and what is wrong with it.
  server_tls(std::string cert_file, std::string key_file);

  // Loads the files again; on any error keeps the pair in use and throws.
  void reload();
  std::shared_ptr<net::ssl::context> current() const;

private:
  std::string cert_file_;
  std::string key_file_;
  mutable std::mutex mutex_;
  std::shared_ptr<net::ssl::context> context_;  // guarded by mutex_
};

// Throws std::runtime_error when `ca_file` cannot be read.
std::shared_ptr<net::ssl::context> make_client_tls(const client_tls_options& options);

// Before a client's handshake: SNI, and the name or address the server's
// certificate must carry (skipped with --insecure).
void expect_server(SSL* ssl, const std::string& host, bool insecure);

// Why a handshake failed, in words a user can act on: the certificate's
// problem when verification failed ("certificate has expired"), else the error.
std::string tls_failure(SSL* ssl, const beast::error_code& ec);

}  // namespace arraycast
