#include "util/log.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace arraycast {

void setup_logging(const std::string& level, bool to_stderr) {
  auto logger = to_stderr ? spdlog::stderr_logger_mt("arraycast") : spdlog::stdout_logger_mt("arraycast");
  logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(logger);
}

}  // namespace arraycast
