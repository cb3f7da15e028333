#include <cmath>
#include <map>
#include <memory>
#include <thread>

#include <boost/asio/ip/address.hpp>
#include <fmt/format.h>

#include "cli/auth_options.hpp"
#include "cli/broker_options.hpp"
#include "cli/command.hpp"
#include "cli/config_file.hpp"
#include "cli/options.hpp"
#include "cli/source_options.hpp"
#include "core/rate.hpp"
#include "server/server.hpp"
#include "util/log.hpp"

namespace arraycast {

namespace {

const std::map<std::string, receipt_logging> receipt_modes{
    {"auto", receipt_logging::automatic}, {"all", receipt_logging::all}, {"none", receipt_logging::none}};

void check_address(const std::string& host) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  if (ec) throw CLI::ValidationError("--host", "'" + host + "' is not an IP address (e.g. 127.0.0.1, 0.0.0.0, ::1)");
}

void check(const server_config& c, const CLI::App& cmd) {
  check_address(c.host);
  check_broker(c, cmd);
  check_source(c.source, "--source");
  check_auth(c.auth);
  if (c.max_connections < c.max_clients)
    throw CLI::ValidationError("--max-connections", fmt::format("--max-connections {} is below --max-clients {}: every "
                                                                "client is also a connection",
                                                                c.max_connections, c.max_clients));
  // Both or neither: the flag is the operator's consent, the source is where the packets go.
  if (c.allow_publish && c.source.spec != "publish")
    throw CLI::ValidationError("--allow-publish", "--allow-publish needs --source publish (the source is '" +
                                                      c.source.spec + "')");
  if (c.source.spec == "publish" && !c.allow_publish)
    throw CLI::ValidationError("--source", "--source publish needs --allow-publish: anyone who can connect may "
                                           "publish, unless --auth asks for a token with the publish scope");
}

// --handshake-rate, --handshake-burst and --max-clients-per-ip. Returns the
// burst option, for settle_burst once every flag is read.
CLI::Option* add_address_options(CLI::App& cmd, address_policy& p) {
  cmd.add_option("--max-clients-per-ip", p.max_clients,
                 "WebSocket clients from one address (an IPv6 /64); over this an upgrade gets HTTP 503. 0: no cap")
      ->check(CLI::Range(0, 1'000'000))->capture_default_str();
  auto parse = [&p](const std::string& text) {
    if (text == "0") {
      p.handshake_interval = {};
      return;
    }
    const auto r = parse_rate(text);
    if (!r)
      throw CLI::ValidationError("--handshake-rate", "'" + text + "' is not a rate: use COUNT[/PERIOD], like 10/s, "
                                                     "1/10s or 500/2s (at most one per microsecond), or 0 for none");
    p.handshake_interval = r->interval();
  };
  cmd.add_option_function<std::string>("--handshake-rate", parse,
                                        "WebSocket upgrades per address, like 10/s or 1/10s; over it an upgrade "
                                        "gets HTTP 429. 0: no limit")
      ->default_str("0")->type_name("RATE");
  return cmd.add_option("--handshake-burst", p.handshake_burst,
                        "upgrades one address may make at once before --handshake-rate applies (default: one "
                        "second's worth, at least 1)")
      ->check(CLI::Range(1, 1'000'000));
}

// Unset, the burst is one second's worth of the rate, at least 1.
void settle_burst(address_policy& p, const CLI::Option& burst) {
  const bool rated = p.handshake_interval.count() > 0;
  if (burst.count() > 0 && !rated)
    throw CLI::ValidationError("--handshake-burst", "--handshake-burst needs --handshake-rate");
  if (burst.count() == 0 && rated)
    p.handshake_burst = static_cast<std::size_t>(
        std::max<std::int64_t>(1, std::chrono::microseconds(std::chrono::seconds(1)) / p.handshake_interval));
}

}  // namespace

void add_serve_command(CLI::App& app, command_action& action) {
  auto cfg = std::make_shared<server_config>();
  auto logging = std::make_shared<log_options>();
  cfg->threads = std::max(1u, std::thread::hardware_concurrency());
  auto* cmd = app.add_subcommand("serve", "stream packets of arrays from a source to every WebSocket client");

  cmd->add_option("--host", cfg->host, "address to listen on")->capture_default_str();
  cmd->add_option("--port", cfg->port, "TCP port; 0 picks a free one")->capture_default_str();
  add_source_options(*cmd, cfg->source, "--source");
  cmd->add_flag("--exit-on-eof", cfg->exit_on_eof,
                "when the source ends, exit 0 once every client has been sent everything (default: keep serving)");
  cmd->add_option("--history", cfg->history, "packets kept for clients that resume")
      ->check(CLI::Range(0, 10'000'000))->capture_default_str();
  cmd->add_option("--max-clients", cfg->max_clients, "WebSocket clients; an upgrade over this gets HTTP 503")
      ->check(CLI::Range(1, 1'000'000))->capture_default_str();
  auto* max_connections =
      cmd->add_option("--max-connections", cfg->max_connections,
                      "TCP connections of every kind (clients, HTTP, handshakes, /echo); over this a connection is "
                      "closed unread. Default: --max-clients + 1000")
          ->check(CLI::Range(1, 1'000'000));
  cmd->add_option("--max-requests", cfg->limits.max_requests, "requests on one keep-alive HTTP connection, then it is closed")
      ->check(CLI::Range(1, 1'000'000))->capture_default_str();
  cmd->add_option("--max-queue", cfg->limits.max_queue, "messages queued for a client before it is dropped as slow")
      ->check(CLI::Range(1, 1'000'000))->capture_default_str();
  cmd->add_option("--max-message", cfg->limits.max_message, "largest client message in bytes (over: close 1009)")
      ->check(CLI::Range(64, 16 * 1024 * 1024))->capture_default_str();
  cmd->add_flag("--allow-publish", cfg->allow_publish,
                "accept producers on /publish (with --source publish); anyone who can connect may publish "
                "(with --auth: a token with the publish scope)");
  cmd->add_option("--max-publish-message", cfg->limits.max_publish_message,
                  "largest producer message on /publish in bytes (over: close 1009)")
      ->check(CLI::Range(64, 64 * 1024 * 1024))->capture_default_str();
  add_duration(*cmd, "--ping-interval", cfg->limits.ping_interval, "ping a client silent this long");
  add_duration(*cmd, "--ping-timeout", cfg->limits.ping_timeout, "drop it if still silent this much later");
  add_duration(*cmd, "--handshake-timeout", cfg->limits.handshake_timeout, "drop connections that do not upgrade in time");
  add_duration(*cmd, "--hello-wait", cfg->limits.hello_wait,
               "how long a client that sent no hello (and has none in its URL) waits before it gets the live stream");
  cmd->add_option("--threads", cfg->threads, "event-loop threads")->check(CLI::Range(1, 256))->capture_default_str();
  cmd->add_flag("--echo", cfg->echo, "serve /echo, which echoes every message (for RFC 6455 test suites)");
  auto* cert = cmd->add_option("--tls-cert", cfg->tls.cert,
                               "PEM certificate chain: the port then serves only wss:// and https:// (SIGHUP reloads it)")
                   ->check(CLI::ExistingFile);
  auto* key = cmd->add_option("--tls-key", cfg->tls.key, "PEM private key of --tls-cert")->check(CLI::ExistingFile);
  cert->needs(key);
  key->needs(cert);
  add_broker_options(*cmd, cfg->broker);
  auto* burst = add_address_options(*cmd, cfg->addresses);
  add_auth_options(*cmd, cfg->auth);
  add_log_options(*cmd, *logging);
  cmd->add_option("--log-receipts", cfg->limits.receipts.mode,
                  "a line when a client acks a packet: auto (the first 10 per client and --receipt-period, "
                  "then one summary), all, none")
      ->transform(CLI::CheckedTransformer(receipt_modes))
      ->default_str("auto");
  add_duration(*cmd, "--receipt-period", cfg->limits.receipts.period,
               "--log-receipts auto: how often a fast client's receipts are summed up (default 10s)",
               std::chrono::milliseconds(100));

  add_config_file(*cmd);
  auto* print_config = add_print_config(*cmd);

  cmd->callback([cfg, cmd, logging, max_connections, burst, print_config, &action] {
    if (max_connections->count() == 0) cfg->max_connections = cfg->max_clients + server_config::connection_headroom;
    settle_burst(cfg->addresses, *burst);
    check(*cfg, *cmd);
    if (*print_config) return print_effective_config(*cmd, action);
    action = [cfg, logging] {
      setup_logging(*logging, log_mode::server);
      run_server(*cfg);
      return 0;
    };
  });
}

}  // namespace arraycast
