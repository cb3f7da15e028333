#include <chrono>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "auth/jwt_verifier.hpp"
#include "auth/key_file.hpp"
#include "cli/command.hpp"
#include "cli/options.hpp"

namespace arraycast {

namespace {

struct token_options {
  std::string secret_file;
  std::string sub;
  std::vector<std::string> scopes;
  std::chrono::microseconds ttl = std::chrono::hours(1);  // a working session; long-lived access is a token file's job
};

std::string secret_of(const std::string& path) {
  try {
    return auth::read_jwt_secret(path);
  } catch (const std::exception& e) {
    throw CLI::ValidationError("--secret-file", e.what());
  }
}

}  // namespace

void add_token_command(CLI::App& app, command_action& action) {
  auto opts = std::make_shared<token_options>();
  auto* cmd = app.add_subcommand("token", "print an HS256 JWT for a server started with --auth --jwt-secret-file");
  cmd->add_option("--secret-file", opts->secret_file, "the server's --jwt-secret-file")->required();
  cmd->add_option("--sub", opts->sub, "the client's name, as the server shows and logs it")->required();
  cmd->add_option("--scope", opts->scopes, "what the token may do (repeatable): read, publish, admin")
      ->required()
      ->check(CLI::IsMember({"read", "publish", "admin"}));
  add_duration(*cmd, "--ttl", opts->ttl, "how long the token is valid (default 1h)", std::chrono::seconds(1));

  cmd->callback([opts, &action] {
    const auto secret = secret_of(opts->secret_file);
    action = [opts, secret] {
      std::string scopes;
      for (const auto& s : opts->scopes) scopes += (scopes.empty() ? "" : " ") + s;
      const auto ttl = std::chrono::duration_cast<std::chrono::seconds>(opts->ttl);
      const auto token = auth::sign_hs256(secret, opts->sub, scopes, std::chrono::system_clock::now(), ttl);
      std::printf("%s\n", token.c_str());
      return 0;
    };
  });
}

}  // namespace arraycast
