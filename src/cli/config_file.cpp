#include "cli/config_file.hpp"

#include <memory>
#include <set>
#include <sstream>

#include <fmt/format.h>

namespace arraycast {

namespace {

// The main app's reader, created once; each subcommand's --config feeds it.
CLI::Option* main_reader(CLI::App& root) {
  if (auto* reader = root.get_config_ptr()) return reader;
  root.allow_config_extras(CLI::config_extras_mode::error);  // a misspelt key is an error, not ignored
  return root.set_config("--config")->group("");  // hidden: --config belongs after the subcommand
}

}  // namespace

void add_config_file(CLI::App& cmd) {
  auto* reader = main_reader(*cmd.get_parent());
  auto* root = cmd.get_parent();
  cmd.add_option_function<std::string>(
         "--config",
         [reader, root](const std::string& path) {
           if (path.ends_with(".ini")) root->config_formatter(std::make_shared<CLI::ConfigINI>());
           reader->add_result(path);
         },
         fmt::format("read flags from this TOML file (INI if it ends in .ini), from its [{}] section; "
                     "flags given here win",
                     cmd.get_name()))
      ->check(CLI::ExistingFile)
      ->trigger_on_parse()
      ->configurable(false)
      ->type_name("FILE");
}

CLI::Option* add_print_config(CLI::App& cmd) {
  return cmd.add_flag("--print-config")
      ->description("print the effective configuration (defaults, file and flags) as a --config file, and exit")
      ->configurable(false);
}

// What the file or the command line gave, then every other flag at its
// default as a comment: uncommented, a default would count as given, and
// flags that need another (--broker-stream needs --broker) would refuse it.
// CLI11 writes `key=""` for a flag without a value: left out, it would not read back.
void print_effective_config(const CLI::App& cmd, std::function<int()>& action) {
  const auto given = cmd.config_to_str(false, false);
  std::string text = "[" + cmd.get_name() + "]\n" + given;
  std::set<std::string> given_lines;
  std::istringstream given_stream(given);
  for (std::string line; std::getline(given_stream, line);) given_lines.insert(line);
  std::istringstream lines(cmd.config_to_str(true, false));
  for (std::string line; std::getline(lines, line);)
    if (!given_lines.contains(line) && !line.ends_with("=\"\"")) text += "# " + line + "\n";
  action = [text = std::move(text)] {
    fmt::print("{}", text);
    return 0;
  };
}

std::string explain(const CLI::ConfigError& e) {
  constexpr std::string_view extras = "INI was not able to parse ";
  const std::string_view what = e.what();
  if (!what.starts_with(extras)) return std::string(what);
  return fmt::format("--config: '{}' is not a flag of that command (keys are flag names without --, under "
                     "[serve] or [record]), or not a line of the form key = value",
                     what.substr(extras.size()));
}

}  // namespace arraycast
