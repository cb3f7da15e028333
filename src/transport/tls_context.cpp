#include "transport/tls_context.hpp"

#include <stdexcept>

#include <fmt/format.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace arraycast {

namespace {

namespace ssl = net::ssl;

// TLS 1.2 at least, and OpenSSL's default ciphers, which are the modern ones.
std::shared_ptr<ssl::context> new_context(ssl::context::method method) {
  auto context = std::make_shared<ssl::context>(method);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                       ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  return context;
}

std::shared_ptr<ssl::context> load_pair(const std::string& cert_file, const std::string& key_file) {
  auto context = new_context(ssl::context::tls_server);
  beast::error_code ec;
  context->use_certificate_chain_file(cert_file, ec);
  if (ec) throw std::runtime_error(fmt::format("--tls-cert {}: not a readable PEM certificate ({})", cert_file, ec.message()));
  context->use_private_key_file(key_file, ssl::context::pem, ec);
  // OpenSSL checks here that the key is the certificate's ("key values mismatch").
  if (ec) throw std::runtime_error(fmt::format("--tls-key {}: not a PEM private key of --tls-cert {} ({})", key_file,
                                               cert_file, ec.message()));
  return context;
}

}  // namespace

server_tls::server_tls(std::string cert_file, std::string key_file)
    : cert_file_(std::move(cert_file)), key_file_(std::move(key_file)), context_(load_pair(cert_file_, key_file_)) {}

void server_tls::reload() {
  auto fresh = load_pair(cert_file_, key_file_);
  const std::lock_guard lock(mutex_);
  context_ = std::move(fresh);
}

std::shared_ptr<net::ssl::context> server_tls::current() const {
  const std::lock_guard lock(mutex_);
  return context_;
}

std::shared_ptr<net::ssl::context> make_client_tls(const client_tls_options& options) {
  auto context = new_context(ssl::context::tls_client);
  beast::error_code ec;
  if (options.ca_file.empty()) context->set_default_verify_paths(ec);
  else context->load_verify_file(options.ca_file, ec);
  if (ec) throw std::runtime_error(fmt::format("--ca {}: not a readable PEM certificate ({})", options.ca_file, ec.message()));
  context->set_verify_mode(options.insecure ? ssl::verify_none : ssl::verify_peer);
  return context;
}

// OpenSSL's own checks, so that a mismatch is reported as one ("hostname mismatch").
void expect_server(SSL* ssl, const std::string& host, bool insecure) {
  beast::error_code ec;
  const auto address = net::ip::make_address(host, ec);
  if (ec)  // SNI is for names only; SSL_set_tlsext_host_name, without its C cast
    SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, const_cast<char*>(host.c_str()));
  if (insecure) return;
  auto* param = SSL_get0_param(ssl);
  const int ok = ec ? X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size())
                    : X509_VERIFY_PARAM_set1_ip_asc(param, address.to_string().c_str());
  if (ok != 1) throw std::runtime_error("cannot check the server's certificate for " + host);
}

std::string tls_failure(SSL* ssl, const beast::error_code& ec) {
  const auto result = SSL_get_verify_result(ssl);
  if (result != X509_V_OK) return fmt::format("the server's certificate is refused: {}", X509_verify_cert_error_string(result));
  return ec.message();
}

}  // namespace arraycast
