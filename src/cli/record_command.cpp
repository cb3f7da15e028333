#include <memory>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/config_file.hpp"
#include "cli/options.hpp"
#include "cli/token_options.hpp"
#include "client/recording.hpp"
#include "core/protocol.hpp"
#include "util/log.hpp"

namespace arraycast {

namespace {

void check(record_config& cfg, const std::string& format) {
  if (!protocol::is_valid_name(cfg.name))
    throw CLI::ValidationError("--name", "must be 1 to 64 bytes without control characters");
  if (cfg.out.empty()) cfg.out = cfg.name + ".txt";
  cfg.format = format.empty() ? format_for_path(cfg.out) : *parse_format(format);
}

}  // namespace

void add_record_command(CLI::App& app, command_action& action) {
  auto cfg = std::make_shared<record_config>();
  auto format = std::make_shared<std::string>();
  auto logging = std::make_shared<log_options>();
  auto* cmd = app.add_subcommand("record", "record the stream to a file, reconnecting whenever it is lost");

  add_urls(*cmd, cfg->endpoints, "stream to record; several (repeated, or comma-separated): nodes of one cluster, "
                                  "tried in turn whenever the connection is lost");
  add_tls_trust(*cmd, cfg->tls);
  add_token_options(*cmd, cfg->token);
  cmd->add_option("--name", cfg->name, "client name, shown in the server's log")->capture_default_str();
  cmd->add_option("--out", cfg->out, "file to append to (default: <name>.txt)");
  cmd->add_option("--format", *format, "txt, jsonl or csv (default: from the file's extension, else txt)")
      ->check(CLI::IsMember({"txt", "jsonl", "csv"}));
  add_encoding(*cmd, cfg->encoding, "packets as json or binary (compact; the file is the same)");
  cmd->add_option("--max-retries", cfg->max_retries, "give up after this many reconnects without a lasting "
                                                   "connection, counted across all --url nodes (default: never)");
  add_duration(*cmd, "--ping-interval", cfg->ping_interval, "ping the server after this much silence");
  add_duration(*cmd, "--ping-timeout", cfg->ping_timeout, "reconnect if still silent this much later");
  add_duration(*cmd, "--connect-timeout", cfg->connect_timeout, "limit for name lookup, TCP connect and WebSocket handshake");
  add_log_options(*cmd, *logging);
  add_config_file(*cmd);
  auto* print_config = add_print_config(*cmd);

  cmd->callback([cfg, cmd, format, logging, print_config, &action] {
    check(*cfg, *format);
    if (*print_config) return print_effective_config(*cmd, action);
    action = [cfg, logging] {
      setup_logging(*logging, log_mode::client);
      return run_recording(*cfg);
    };
  });
}

}  // namespace arraycast
