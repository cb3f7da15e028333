#include "util/log.hpp"

#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace arraycast {

namespace {

// Lines waiting for the output (a few MiB, allocated up front): room for
// bursts such as every client connecting at once, bounded for a stalled reader.
constexpr std::size_t queued_lines = 8192;

}  // namespace

void setup_logging(const std::string& level, bool to_stderr) {
  spdlog::init_thread_pool(queued_lines, 1);
  // overrun_oldest: a full queue drops its oldest line instead of blocking the caller.
  using factory = spdlog::async_factory_nonblock;
  auto logger = to_stderr ? factory::create<spdlog::sinks::stderr_sink_mt>("arraycast")
                          : factory::create<spdlog::sinks::stdout_sink_mt>("arraycast");
  logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::trace);  // on the logging thread, after each line
  spdlog::set_default_logger(logger);
}

std::uint64_t log_lines_dropped() {
  const auto pool = spdlog::thread_pool();
  return pool ? pool->overrun_counter() : 0;
}

void stop_logging() { spdlog::shutdown(); }

}  // namespace arraycast
