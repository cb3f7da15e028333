#include "auth/key_file.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

namespace arraycast::auth {

std::string read_text_file(const std::string& path, const char* what) {
  const auto unreadable = [&] { return std::runtime_error(fmt::format("{}: cannot read the {}", path, what)); };
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw unreadable();
  std::ifstream in(path, std::ios::binary);
  if (!in) throw unreadable();
  std::ostringstream text;
  text << in.rdbuf();  // an empty file fails this insertion, and is still read: as ""
  if (in.bad()) throw unreadable();
  return text.str();
}

std::string read_key_file(const std::string& path, const char* what) {
  auto key = read_text_file(path, what);
  if (key.empty()) throw std::runtime_error(fmt::format("{}: the {} is empty", path, what));
  return key;
}

std::string read_jwt_secret(const std::string& path) {
  auto secret = read_key_file(path, "JWT secret");
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  if (secret.empty()) throw std::runtime_error(fmt::format("{}: the JWT secret is empty", path));
  return secret;
}

}  // namespace arraycast::auth
