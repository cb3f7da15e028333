#include "util/log.hpp"

#include <memory>

#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace arraycast {

namespace {

// Lines waiting for the output (a few MiB, allocated up front): room for
// bursts such as every client connecting at once, bounded for a stalled reader.
constexpr std::size_t queued_lines = 8192;

std::shared_ptr<spdlog::logger> make_logger(log_mode mode) {
  if (mode == log_mode::client) return spdlog::stderr_logger_mt("arraycast");
  spdlog::init_thread_pool(queued_lines, 1);
  // overrun_oldest: a full queue drops its oldest line instead of blocking the caller.
  return spdlog::async_factory_nonblock::create<spdlog::sinks::stdout_sink_mt>("arraycast");
}

}  // namespace

void setup_logging(const std::string& level, log_mode mode) {
  auto logger = make_logger(mode);
  logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::trace);  // after each line
  spdlog::set_default_logger(logger);
}

std::uint64_t log_lines_dropped() {
  const auto pool = spdlog::thread_pool();
  return pool ? pool->overrun_counter() : 0;
}

// The logging thread is joined first, so every queued line is written and the
// loggers are then released on this thread alone.
void stop_logging() {
  spdlog::details::registry::instance().set_tp(nullptr);
  spdlog::shutdown();
}

}  // namespace arraycast
