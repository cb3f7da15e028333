#include "cli/broker_options.hpp"

#include <algorithm>
#include <array>

#include <boost/url/parse.hpp>
#include <fmt/format.h>

#include "cli/options.hpp"

namespace arraycast {

namespace {

void check_url(const std::string& text) {
  auto url = boost::urls::parse_uri(text);
  if (!url || url->scheme() != "nats" || url->host().empty())
    throw CLI::ValidationError("--broker", "'" + text + "' is not a NATS URL (e.g. nats://127.0.0.1:4222)");
}

// JetStream stream names may not hold '.', '*', '>' or whitespace; we keep
// to what also reads well in a subject.
void check_stream_name(const std::string& name) {
  const bool ok = !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
  if (!ok) throw CLI::ValidationError("--broker-stream", "'" + name + "' must be 1 to 64 letters, digits, '-' or '_'");
}

}  // namespace

void add_broker_options(CLI::App& cmd, broker_config& cfg) {
  cmd.add_option("--broker", cfg.url, "share one stream with other nodes through NATS JetStream at this URL "
                                      "(nats://host:port, or a comma-separated list of a NATS cluster's servers); "
                                      "default: a single node, no broker");
  cmd.add_option("--broker-stream", cfg.stream, "the JetStream stream the nodes share")->capture_default_str();
  cmd.add_flag("--relay", cfg.relay, "only fan out what the stream carries; run no source");
  cmd.add_flag("--standby", cfg.standby, "run the source only once the stream's producer has stopped");
  cmd.add_flag("--broker-wait", cfg.wait, "at start, wait for an unreachable broker instead of exiting");
  cmd.add_option("--retain", cfg.retain, "packets the stream keeps for replay (set when the stream is created)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1'000'000'000}))->capture_default_str();
  add_duration(cmd, "--retain-for", cfg.retain_for,
               "and at most this old, e.g. 24h (set when the stream is created; default: no age limit)",
               std::chrono::seconds(1));
  add_duration(cmd, "--takeover-after", cfg.takeover_after,
               "a standby produces once the producer has been silent this long (default 2s)",
               2 * broker_config::heartbeat);
}

void check_broker(const server_config& cfg, const CLI::App& cmd) {
  const auto& b = cfg.broker;
  if (!b.enabled()) {
    for (const auto* flag : {"--broker-stream", "--relay", "--standby", "--broker-wait", "--retain", "--retain-for",
                             "--takeover-after"})
      if (cmd.count(flag) > 0) throw CLI::ValidationError(flag, fmt::format("{} needs --broker", flag));
    return;
  }
  for (const auto& url : b.urls()) check_url(url);
  check_stream_name(b.stream);
  if (b.relay && b.standby) throw CLI::ValidationError("--standby", "--relay runs no source, so it cannot stand by");
  if (b.relay && cmd.count("--source") > 0)
    throw CLI::ValidationError("--relay", "--relay runs no source; drop --source or --relay");
  if (cfg.exit_on_eof)
    throw CLI::ValidationError("--exit-on-eof", "--exit-on-eof is for a single node: a node of a broker's stream keeps "
                                                "serving what the stream holds");
}

}  // namespace arraycast
