#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/config_file.hpp"
#include "config.hpp"
#include "util/log.hpp"

int main(int argc, char** argv) {
  CLI::App app{"arraycast: stream packets of numeric arrays over WebSocket, and record them"};
  app.set_version_flag("--version", fmt::format("arraycast {} ({})", arraycast::config::version, arraycast::config::git_sha));
  app.require_subcommand(1);

  arraycast::command_action action;
  arraycast::add_serve_command(app, action);
  arraycast::add_record_command(app, action);
  arraycast::add_bench_command(app, action);
  arraycast::add_verify_command(app, action);
  arraycast::add_publish_command(app, action);
  arraycast::add_token_command(app, action);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ConfigError& e) {
    fmt::print(stderr, "{}\nRun with --help for more information.\n", arraycast::explain(e));
    return 2;
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;  // --help and --version exit 0; a usage error 2, as is the custom
  }
  try {
    const int code = action();
    arraycast::stop_logging();
    return code;
  } catch (const std::exception& e) {
    arraycast::stop_logging();  // what was logged before comes first
    fmt::print(stderr, "arraycast: {}\n", e.what());
    return 1;
  }
}
