#include "client/publishing.hpp"

#include <random>

#include <spdlog/spdlog.h>

#include "source/make_source.hpp"

namespace arraycast {

namespace {

// As the recorder: the first signal stops in order (the publisher takes no
// more packets and awaits the acknowledgements of what it sent), a later one
// cuts. The source itself is stopped once, at the end.
void stop_on_signals(net::signal_set& signals, publisher& pub) {
  signals.async_wait([&signals, &pub](boost::system::error_code ec, int sig) {
    if (ec) return;
    spdlog::info("signal {}: no more packets; closing once what was sent is acknowledged", sig);
    pub.stop();
    stop_on_signals(signals, pub);
  });
}

}  // namespace

int run_publish(const publish_config& config) {
  net::io_context ioc(1);
  const auto source = make_source(config.source, ioc, config.source.seed.value_or(std::random_device{}()));
  publisher pub(ioc, config);
  net::signal_set signals(ioc, SIGINT, SIGTERM);
  stop_on_signals(signals, pub);
  spdlog::info("publishing from {} to {} as producer {}", config.source.spec, describe(config.to), config.producer);

  int exit_code = 1;
  net::co_spawn(ioc, pub.run(), [&](std::exception_ptr e, int code) {
    if (e) std::rethrow_exception(e);
    exit_code = code;
    // The source may still hold work on the loop (a timer, a read).
    ioc.stop();
  });
  source->start(pub);
  ioc.run();
  source->stop();
  spdlog::info("{}", pub.summary());
  return exit_code;
}

}  // namespace arraycast
