#include "client/recording.hpp"

#include <spdlog/spdlog.h>

#include "client/reconnector.hpp"
#include "recorder/recorder.hpp"

namespace arraycast {

namespace {

// Every signal is handled, none swallowed: the first stops in order, a later
// one cuts what the first started (a close the server does not answer).
void stop_on_signals(net::signal_set& signals, reconnector& loop) {
  signals.async_wait([&signals, &loop](boost::system::error_code ec, int sig) {
    if (ec) return;
    spdlog::info("signal {}: closing the connection and exiting", sig);
    loop.stop();
    stop_on_signals(signals, loop);
  });
}

}  // namespace

int run_recording(const record_config& config) {
  auto out = make_sink(config.format, config.out);
  recorder rec(*out);
  const auto resume = rec.hello(config.name);
  if (resume.epoch)
    spdlog::info("{} already holds packets up to seq {}; resuming from there", config.out, *resume.last_seq);

  net::io_context ioc(1);
  reconnector loop(ioc.get_executor(), config, rec);
  net::signal_set signals(ioc, SIGINT, SIGTERM);
  stop_on_signals(signals, loop);

  int exit_code = 1;
  net::co_spawn(ioc, loop.run(), [&](std::exception_ptr e, int code) {
    if (e) std::rethrow_exception(e);
    exit_code = code;
    signals.cancel();
  });
  ioc.run();
  spdlog::info("recorded {} packets to {}", rec.packets_written(), config.out);
  return exit_code;
}

}  // namespace arraycast
