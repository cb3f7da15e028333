#include "server/server.hpp"

#include <sys/resource.h>

#include <cstdio>
#include <functional>
#include <optional>
#include <random>
#include <stdexcept>
#include <vector>

#include <spdlog/spdlog.h>

#include "backplane/local_backplane.hpp"
#include "core/clock.hpp"
#include "core/close_codes.hpp"
#include "server/address_limits.hpp"
#include "server/broker_node.hpp"
#include "server/connection_registry.hpp"
#include "server/exposure.hpp"
#include "server/http_routes.hpp"
#include "server/hub.hpp"
#include "server/listener.hpp"
#include "server/loop_pool.hpp"
#include "server/stream.hpp"
#include "source/make_source.hpp"
#include "source/publish_source.hpp"
#include "transport/tls_context.hpp"

namespace arraycast {

namespace {

// How long shutdown waits for clients to acknowledge close 1001; then every
// connection left is cut and the process exits.
constexpr auto shutdown_grace = std::chrono::seconds(3);
constexpr auto shutdown_poll = std::chrono::milliseconds(20);

std::shared_ptr<listener> make_listener(loop_pool& loops, const server_config& config,
                                        listener::services s) {
  try {
    return std::make_shared<listener>(loops, config, s);
  } catch (const boost::system::system_error& e) {
    throw std::runtime_error(fmt::format("cannot listen on {}:{}: {}", config.host, config.port, e.code().message()));
  }
}

// Descriptors the server needs besides its connections: the listener, each
// loop's wake-up descriptors, stdio, with slack.
constexpr rlim_t reserved_descriptors = 64;

// The limit is only as good as the open-file limit under it: past that,
// accept fails (EMFILE) instead of closing a connection cleanly.
void check_descriptors(const server_config& config) {
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) != 0 || files.rlim_cur == RLIM_INFINITY) return;
  if (config.max_connections + reserved_descriptors > files.rlim_cur)
    spdlog::warn("--max-connections {} is above what the open-file limit ({}) allows; raise it (ulimit -n) or lower "
                 "--max-connections",
                 config.max_connections, files.rlim_cur);
}

std::string url_of(const tcp::endpoint& ep, bool tls) {
  const auto host = ep.address().to_string();
  const auto* scheme = tls ? "wss" : "ws";
  return ep.address().is_v6() ? fmt::format("{}://[{}]:{}/", scheme, host, ep.port())
                              : fmt::format("{}://{}:{}/", scheme, host, ep.port());
}

void reload(std::string_view what, const std::function<void()>& load) {
  try {
    load();
    spdlog::info("SIGHUP: reloaded {}", what);
  } catch (const std::exception& e) {
    spdlog::error("SIGHUP: keeping {} in use: {}", what, e.what());
  }
}

// SIGHUP rereads the certificate files and the token file, whichever the
// server has; one that does not load is reported and the old one kept.
// Connections keep the certificate they were accepted with.
void reload_on_hangup(net::signal_set& signals, server_tls* tls, auth::gate& gate) {
  signals.async_wait([&signals, tls, &gate](beast::error_code ec, int) {
    if (ec) return;
    if (tls) reload("the TLS certificate and key", [tls] { tls->reload(); });
    if (gate.reloadable()) reload("the token file", [&gate] { gate.reload(); });
    reload_on_hangup(signals, tls, gate);
  });
}

// Waits until every connection is gone or the grace period ends, then stops
// the loops; destroying them (loop_pool::destroy) cuts what is left.
void stop_when_drained(loop_pool& loops, const connection_registry& all,
                       std::chrono::steady_clock::time_point deadline) {
  auto timer = std::make_shared<net::steady_timer>(loops.at(0), shutdown_poll);
  timer->async_wait([&loops, &all, deadline, timer](beast::error_code) {
    if (all.open() == 0 || std::chrono::steady_clock::now() >= deadline) return loops.stop();
    stop_when_drained(loops, all, deadline);
  });
}

// What the startup line says of where the packets come from.
std::string source_text(const server_config& config) {
  const auto& b = config.broker;
  if (!b.enabled()) return config.source.spec;
  // The broker's URLs are logged when the node joins: a list of them holds commas.
  if (b.relay) return fmt::format("relay of stream {}", b.stream);
  return fmt::format("{} into stream {}{}", config.source.spec, b.stream, b.standby ? " (standby)" : "");
}

}  // namespace


void run_server(const server_config& config) {
  check_descriptors(config);
  const auto seed = config.source.seed.value_or(std::random_device{}());
  loop_pool loops(config.threads);
  // A relay has no source; every other node has one, the default random one included.
  auto source = config.broker.relay ? nullptr : make_source(config.source, loops.at(0), seed);
  std::optional<server_tls> tls;
  if (config.tls.enabled()) tls.emplace(config.tls.cert, config.tls.key);
  std::optional<broker_node> node;
  if (config.broker.enabled()) node.emplace(config.broker);
  const protocol::welcome base{node ? node->epoch() : static_cast<std::uint64_t>(now_us()), 0, config.history,
                               source ? source->describe() : protocol::stream_info{"broker", 0, {}}};
  hub clients(base, config.max_clients, loops.contexts());
  address_limits addresses(config.addresses, clients.metrics());  // before the slots that hold its claims
  connection_registry connections(config.max_connections, clients.metrics());
  auth::gate gate(config.auth);
  http_routes routes(clients, gate);
  // However run() ends, the loops go before what their sessions use:
  // destroying them destroys their pending handlers, and with them sessions,
  // which leave the hub and free their connection slot.
  // The source goes before them too: its timers and descriptors belong to them.
  // A broker node's threads stop first of all: they reach the hub and the source.
  struct destroy_loops {
    loop_pool& loops;
    std::unique_ptr<packet_source>& source;
    std::optional<broker_node>& node;
    ~destroy_loops() {
      source.reset();
      if (node) node->stop();
      loops.destroy();
    }
  } loops_first{loops, source, node};
  local_backplane backplane;
  backplane.on_frame([&clients](const frame_ptr& f) { clients.broadcast(f); });
  {
    auto* producers = dynamic_cast<publish_source*>(source.get());  // what /publish feeds, if anything
    auto accept = make_listener(loops, config, {clients, connections, routes, producers, addresses,
                                                tls ? &*tls : nullptr});
    stream sequencer(loops.at(0), backplane, clients.metrics(), config.history);

    std::printf("arraycast serve: streaming on %s (epoch %llu, source %s, seed %llu)\n",
                url_of(accept->local_endpoint(), tls.has_value()).c_str(), static_cast<unsigned long long>(base.epoch),
                source_text(config).c_str(), static_cast<unsigned long long>(seed));
    std::fflush(stdout);
    if (auto warning = exposure_warning({config.host, config.tls.enabled(), config.auth.enabled}))
      spdlog::warn("{}", *warning);

    net::signal_set signals(loops.at(0), SIGINT, SIGTERM);
    net::signal_set reloads(loops.at(0));  // SIGHUP, when there is something to reload
    const auto shut_down = [&](std::string_view why) {
      spdlog::info("{}: closing {} clients with 1001, {} connections in all, and exiting", why, clients.clients(),
                   connections.open());
      signals.cancel();
      reloads.cancel();
      accept->stop();
      clients.close_all(close_code::going_away, "server shutting down");
      connections.stop_all();  // the others: cut, or 1001 for /echo
      stop_when_drained(loops, connections, std::chrono::steady_clock::now() + shutdown_grace);
    };
    signals.async_wait([&](beast::error_code ec, int sig) {
      if (!ec) shut_down(fmt::format("signal {}", sig));
    });
    if (tls || gate.reloadable()) {
      reloads.add(SIGHUP);
      reload_on_hangup(reloads, tls ? &*tls : nullptr, gate);
    }
    if (config.exit_on_eof)
      sequencer.on_ended([&] { sequencer.when_drained([&] { net::post(loops.at(0), [&] { shut_down("source ended"); }); }); });

    accept->run();
    if (node) {
      node->follow(clients, config.history);
      if (source) node->produce(*source, loops.at(0), config.broker.standby);
    } else {
      source->start(sequencer);
    }
    loops.run();
    if (source) source->stop();  // before the stream it pushes to goes
    if (node) node->stop();
  }
}

}  // namespace arraycast
