#include "util/log.hpp"

#include <chrono>
#include <memory>

#include <boost/json.hpp>
#include <fmt/chrono.h>

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

// One JSON object per line; Boost.JSON escapes whatever the message holds,
// so no message can break a line or forge a field.
class json_formatter final : public spdlog::formatter {
public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto seconds = std::chrono::floor<std::chrono::seconds>(msg.time);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(msg.time - seconds).count();
    const boost::json::object line{
        {"time", fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z", fmt::gmtime(std::chrono::system_clock::to_time_t(seconds)), ms)},
        {"level", std::string_view(spdlog::level::to_string_view(msg.level).data(), spdlog::level::to_string_view(msg.level).size())},
        {"message", std::string_view(msg.payload.data(), msg.payload.size())}};
    const auto text = boost::json::serialize(line);
    dest.append(text.data(), text.data() + text.size());
    dest.push_back('\n');
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<json_formatter>(); }
};

}  // namespace

void setup_logging(const log_options& options, log_mode mode) {
  auto logger = make_logger(mode);
  if (options.format == log_format::json) logger->set_formatter(std::make_unique<json_formatter>());
  else logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
  logger->set_level(spdlog::level::from_str(options.level));
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
