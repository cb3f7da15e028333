#include "cli/token_options.hpp"

#include <fstream>

namespace arraycast {

std::string read_secret_line(const std::string& path, const std::string& flag) {
  std::ifstream in(path, std::ios::binary);
  std::string line;
  if (!in) throw CLI::ValidationError(flag, "cannot read " + path);
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) throw CLI::ValidationError(flag, path + " is empty");
  return line;
}

void add_token_options(CLI::App& cmd, std::string& token) {
  auto* given = cmd.add_option("--token", token, "token for a server started with --auth (sent as a Bearer token; "
                                                 "--token-file keeps it out of the process list)");
  cmd.add_option_function<std::string>(
         "--token-file", [&token](const std::string& path) { token = read_secret_line(path, "--token-file"); },
         "file whose first line is the token")
      ->excludes(given);
}

}  // namespace arraycast
