#include <unistd.h>

#include <algorithm>
#include <memory>

#include <boost/asio/ip/host_name.hpp>
#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/options.hpp"
#include "cli/source_options.hpp"
#include "cli/token_options.hpp"
#include "client/publishing.hpp"
#include "core/clock.hpp"
#include "core/producer_ledger.hpp"
#include "core/protocol.hpp"
#include "util/log.hpp"

namespace arraycast {

namespace {

// New for every run, so that a restarted producer, whose pseqs start over
// at 1, is not taken for the previous run resending: host, pid, start time.
std::string default_producer() {
  boost::system::error_code ec;
  auto host = boost::asio::ip::host_name(ec);
  if (ec || host.empty()) host = "producer";
  const auto tail = fmt::format("-{}-{}", ::getpid(), now_us() / 1000);
  host.resize(std::min(host.size(), protocol::max_name_length - tail.size()));
  return host + tail;
}

void check(publish_config& cfg) {
  check_source(cfg.source, "--from");
  if (cfg.source.spec == "publish")
    throw CLI::ValidationError("--from", "'publish' is the server's source of producers; a producer reads from "
                                         "another source (random, ...)");
  if (cfg.producer.empty()) cfg.producer = default_producer();
  if (!protocol::is_valid_name(cfg.producer))
    throw CLI::ValidationError("--producer", "must be 1 to 64 bytes without control characters");
}

}  // namespace

void add_publish_command(CLI::App& app, command_action& action) {
  auto cfg = std::make_shared<publish_config>();
  auto logging = std::make_shared<log_options>();
  auto* cmd = app.add_subcommand("publish", "read packets from a source and publish them to a server's /publish, "
                                            "resending whatever was not acknowledged");

  add_urls(*cmd, cfg->to, "the server's /publish; several (repeated, or comma-separated): nodes of one cluster, "
                          "tried in turn whenever the connection is lost");
  add_tls_trust(*cmd, cfg->tls);
  add_token_options(*cmd, cfg->token);
  add_source_options(*cmd, cfg->source, "--from");
  cmd->add_option("--buffer", cfg->buffer,
                  "unacknowledged packets kept for resending; when full, a source that can wait waits and a live "
                  "one's packets are dropped (and announced as lost)")
      ->check(CLI::Range(std::size_t{1}, producer_ledger::default_window))->capture_default_str();
  cmd->add_option("--producer", cfg->producer,
                  "this run's producer id (default: host-pid-start); never reuse one for another run");
  cmd->add_option("--max-message", cfg->max_message,
                  "largest publish message in bytes; bigger packets are dropped (keep it at or under the "
                  "server's --max-publish-message)")
      ->check(CLI::Range(64, 64 * 1024 * 1024))->capture_default_str();
  add_duration(*cmd, "--connect-timeout", cfg->connect_timeout, "limit for name lookup, TCP connect and handshake");
  add_log_options(*cmd, *logging);

  cmd->callback([cfg, logging, &action] {
    check(*cfg);
    action = [cfg, logging] {
      setup_logging(*logging, log_mode::client);
      return run_publish(*cfg);
    };
  });
}

}  // namespace arraycast
