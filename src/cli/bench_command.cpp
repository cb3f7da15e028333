#include <sys/resource.h>

#include <filesystem>
#include <memory>
#include <thread>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/options.hpp"
#include "cli/token_options.hpp"
#include "core/protocol.hpp"
#include "loadgen/load_generator.hpp"

namespace arraycast {

namespace {

// Descriptors the process needs besides one per client: stdio, epoll, the
// eventfds and timerfds of each io_context, the resolver.
constexpr std::size_t spare_descriptors = 64;

std::size_t open_file_limit() {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  return static_cast<std::size_t>(limit.rlim_cur);
}

void check(bench_config& cfg) {
  if (!cfg.spawn.empty() && cfg.endpoints.size() > 1)
    throw CLI::ValidationError("--spawn", "runs one server: give one --url, the one it listens on");
  const auto files = open_file_limit();
  if (cfg.clients + spare_descriptors > files)
    throw CLI::ValidationError("--clients", fmt::format("{} clients need more than the {} open files this process may hold; "
                                                        "run several bench processes with --first-index",
                                                        cfg.clients, files));
  const auto longest_name = cfg.name_prefix.size() + std::to_string(cfg.first_index + cfg.clients).size();
  if (cfg.name_prefix.empty() || longest_name > protocol::max_name_length)
    throw CLI::ValidationError("--name-prefix", fmt::format("must be non-empty, and with the client number at most {} "
                                                            "characters", protocol::max_name_length));
  if (cfg.server_pid && !std::filesystem::exists(fmt::format("/proc/{}/stat", *cfg.server_pid)))
    throw CLI::ValidationError("--server-pid", fmt::format("no process {}", *cfg.server_pid));
  if (cfg.kill_after.count() > 0 && cfg.kill_after >= cfg.duration)
    throw CLI::ValidationError("--kill-after", "must be shorter than --duration: the storm happens inside the window");
  cfg.threads = std::min<unsigned>(cfg.threads, static_cast<unsigned>(cfg.clients));
}

// The flags that make bench run the server itself and, for a storm, kill it.
void add_spawn_options(CLI::App& cmd, bench_config& cfg, CLI::Option* server_pid) {
  auto* spawn = cmd.add_option("--spawn", cfg.spawn,
                               "start this server command (via /bin/sh) and measure it; it must listen on --url's port")
                    ->excludes(server_pid);
  add_duration(cmd, "--listen-timeout", cfg.listen_timeout, "limit for a spawned server to accept connections")
      ->needs(spawn);
  add_duration(cmd, "--kill-after", cfg.kill_after,
               "into the window, SIGKILL the spawned server and respawn it: a reconnect storm")
      ->needs(spawn);
}

}  // namespace

void add_bench_command(CLI::App& app, command_action& action) {
  auto cfg = std::make_shared<bench_config>();
  cfg->threads = std::max(1u, std::thread::hardware_concurrency());
  auto* cmd = app.add_subcommand("bench", "open many clients to a stream and measure throughput, latency and loss");

  add_urls(*cmd, cfg->endpoints, "stream to measure; several (repeated, or comma-separated): client k starts on "
                                 "URL k mod n and moves on to the next when its connection is lost");
  add_tls_trust(*cmd, cfg->tls);
  add_token_options(*cmd, cfg->token);
  cmd->add_option("--clients", cfg->clients, "WebSocket connections to open")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000}))->capture_default_str();
  add_duration(*cmd, "--duration", cfg->duration, "measured window, after every client has connected",
               std::chrono::milliseconds(100));
  cmd->add_option("--threads", cfg->threads, "event-loop threads (default: the number of cores)")
      ->check(CLI::Range(1, 256));
  cmd->add_option("--connect-rate", cfg->connect_rate, "connections started per second")
      ->check(CLI::Range(1.0, 1e6))->capture_default_str();
  add_duration(*cmd, "--connect-timeout", cfg->connect_timeout, "limit for one TCP connect plus handshake");
  add_encoding(*cmd, cfg->encoding, "packets as json or binary (binary: less to send and to parse)");
  cmd->add_flag("--json", cfg->json, "print the report as one JSON object");
  cmd->add_flag("--ack", cfg->ack, "ack every packet, as a recorder does");
  auto* server_pid = cmd->add_option("--server-pid", cfg->server_pid, "also report this process's CPU time and memory")
                         ->check(CLI::Range(1, 1 << 22));
  add_spawn_options(*cmd, *cfg, server_pid);
  cmd->add_option("--name-prefix", cfg->name_prefix, "hello names are <prefix><client number>")->capture_default_str();
  cmd->add_option("--first-index", cfg->first_index, "number of this process's first client (several processes)")
      ->check(CLI::Range(std::size_t{0}, std::size_t{10'000'000}))->capture_default_str();
  cmd->add_option("--source-addresses", cfg->source_addresses,
                  "bind client i to 127.0.0.(1 + i % N) on loopback; 0: let the kernel choose")
      ->check(CLI::Range(0, 254))->capture_default_str();

  cmd->callback([cfg, &action] {
    check(*cfg);
    action = [cfg] { return run_bench(*cfg); };
  });
}

}  // namespace arraycast
