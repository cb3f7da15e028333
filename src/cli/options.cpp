#include "cli/options.hpp"

#include <boost/url/parse.hpp>
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

ws_endpoint parse_ws_url(const std::string& flag, const std::string& text) {
  auto url = boost::urls::parse_uri(text);
  if (!url) throw CLI::ValidationError(flag, "'" + text + "' is not a URL (e.g. ws://127.0.0.1:6969/)");
  const bool secure = url->scheme() == "wss";
  if (!secure && url->scheme() != "ws") throw CLI::ValidationError(flag, "'" + text + "' must start with ws:// or wss://");
  if (url->host().empty()) throw CLI::ValidationError(flag, "'" + text + "' has no host");
  return {text, url->host_type() == boost::urls::host_type::ipv6 ? url->host_address() : url->host(),
          url->has_port() ? std::string(url->port()) : (secure ? "443" : "80"),
          url->encoded_target().empty() ? "/" : std::string(url->encoded_target()), secure};
}

}  // namespace

CLI::Option* add_duration(CLI::App& app, const std::string& name, std::chrono::microseconds& target,
                          const std::string& description, std::chrono::microseconds at_least) {
  // The default is valid by definition, even below at_least (0s: "no limit"):
  // --print-config writes it, and --config must read it back.
  auto parse = [&target, name, at_least, fallback = target](const std::string& text) {
    // Zero needs no unit, where zero is allowed.
    const auto d = text == "0" && at_least.count() == 0 ? std::chrono::microseconds(0) : parse_duration(text);
    if (!d)
      throw CLI::ValidationError(name, fmt::format("'{}' is not a duration: use an integer and a unit, "
                                                   "like 250us, 500ms, 2s, 5m or 1h", text));
    if (*d < at_least && *d != fallback) throw CLI::ValidationError(name, fmt::format("must be at least {}", show(at_least)));
    target = *d;
  };
  return app.add_option_function<std::string>(name, parse, description)->default_str(show(target))->type_name("DURATION");
}

CLI::Option* add_urls(CLI::App& app, endpoint_list& target, const std::string& description) {
  auto parse = [&target](const std::vector<std::string>& urls) {
    target.clear();
    for (const auto& url : urls) target.push_back(parse_ws_url("--url", url));
  };
  return app.add_option_function<std::vector<std::string>>("--url", parse, description)
      ->delimiter(',')
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->default_str(describe(target))
      ->type_name("URL[,URL...]");
}

void add_tls_trust(CLI::App& app, client_tls_options& target) {
  app.add_option("--ca", target.ca_file, "wss://: trust the server certificates this PEM file's CAs signed "
                                         "(default: the system's trusted CAs)")
      ->check(CLI::ExistingFile);
  app.add_flag("--insecure", target.insecure,
               "wss://: do not check the server's certificate (development only; warns on every connection)");
}

CLI::Option* add_encoding(CLI::App& app, protocol::encoding& target, const std::string& description) {
  return app
      .add_option_function<std::string>(
          "--encoding",
          [&target](const std::string& name) {
            const auto e = protocol::parse_encoding(name);
            if (!e) throw CLI::ValidationError("--encoding", fmt::format("'{}' is not an encoding: use json or binary", name));
            target = *e;
          },
          description)
      ->default_str("json");
}

void add_log_options(CLI::App& app, log_options& target) {
  app.add_option("--log-level", target.level, fmt::format("log verbosity: {}", log_levels))
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
  auto parse = [&target](const std::string& text) {
    if (text != "text" && text != "json")
      throw CLI::ValidationError("--log-format", "'" + text + "' is not a log format: use text or json");
    target.format = text == "json" ? log_format::json : log_format::text;
  };
  app.add_option_function<std::string>("--log-format", parse,
                                       "text (for people) or json (one object per line, for log collectors)")
      ->default_str("text");
}

}  // namespace arraycast
