#include "cli/options.hpp"

#include <fmt/format.h>

#include "core/duration.hpp"
#include "util/log.hpp"

namespace arraycast {

namespace {

std::string show(std::chrono::microseconds d) {
  if (d.count() % 1'000'000 == 0) return fmt::format("{}s", d.count() / 1'000'000);
  if (d.count() % 1'000 == 0) return fmt::format("{}ms", d.count() / 1'000);
  return fmt::format("{}us", d.count());
}

}  // namespace

CLI::Option* add_duration(CLI::App& app, const std::string& name, std::chrono::microseconds& target,
                          const std::string& description, std::chrono::microseconds at_least) {
  auto parse = [&target, name, at_least](const std::string& text) {
    const auto d = parse_duration(text);
    if (!d)
      throw CLI::ValidationError(name, fmt::format("'{}' is not a duration: use an integer and a unit, "
                                                   "like 250us, 500ms or 2s", text));
    if (*d < at_least) throw CLI::ValidationError(name, fmt::format("must be at least {}", show(at_least)));
    target = *d;
  };
  return app.add_option_function<std::string>(name, parse, description)->default_str(show(target))->type_name("DURATION");
}

CLI::Option* add_log_level(CLI::App& app, std::string& target) {
  return app.add_option("--log-level", target, fmt::format("log verbosity: {}", log_levels))
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
}

}  // namespace arraycast
