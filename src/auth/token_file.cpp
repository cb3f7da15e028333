#include "auth/token_file.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "auth/key_file.hpp"

namespace arraycast::auth {

namespace {

std::array<unsigned char, 32> digest_of(std::string_view token) {
  std::array<unsigned char, 32> d{};
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), d.data());
  return d;
}

std::vector<std::string_view> words_of(std::string_view line) {
  std::vector<std::string_view> words;
  constexpr std::string_view blank = " \t\r";
  for (auto start = line.find_first_not_of(blank); start != std::string_view::npos;
       start = line.find_first_not_of(blank, start)) {
    const auto end = std::min(line.find_first_of(blank, start), line.size());
    words.push_back(line.substr(start, end - start));
    start = end;
  }
  return words;
}

// A line's token and scopes; nullopt for a blank or comment line.
std::optional<static_token> parse_line(std::string_view line, const std::string& file, std::size_t number) {
  line = line.substr(0, line.find('#'));
  const auto words = words_of(line);
  if (words.empty()) return std::nullopt;
  if (words.size() == 1) throw std::runtime_error(fmt::format("{}:{}: a token needs at least one scope "
                                                              "(read, publish, admin)", file, number));
  static_token t{digest_of(words[0]), {}};
  for (std::size_t i = 1; i < words.size(); ++i) {
    const auto s = parse_scope(words[i]);
    // Not quoted: in a line written the wrong way round, the "scope" is the token.
    if (!s) throw std::runtime_error(fmt::format("{}:{}: word {} is not a scope (known: read, publish, admin)", file,
                                                 number, i + 1));
    t.scopes.add(*s);
  }
  return t;
}

}  // namespace

std::vector<static_token> parse_token_file(std::string_view text, const std::string& file) {
  std::vector<static_token> tokens;
  std::size_t number = 0;
  while (!text.empty()) {
    const auto end = text.find('\n');
    if (auto t = parse_line(text.substr(0, end), file, ++number)) tokens.push_back(*t);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return tokens;
}

// An empty file is a file without tokens: emptying it (and SIGHUP) revokes them all.
std::vector<static_token> load_token_file(const std::string& path) {
  return parse_token_file(read_text_file(path, "token file"), path);
}

static_tokens::static_tokens(std::string path)
    : path_(std::move(path)), tokens_(std::make_shared<const list>(load_token_file(path_))) {}

void static_tokens::reload() {
  auto fresh = std::make_shared<const list>(load_token_file(path_));
  const std::lock_guard lock(mutex_);
  tokens_ = std::move(fresh);
}

std::optional<identity> static_tokens::find(std::string_view token) const {
  std::shared_ptr<const list> tokens;
  {
    const std::lock_guard lock(mutex_);
    tokens = tokens_;
  }
  const auto wanted = digest_of(token);
  const static_token* match = nullptr;
  for (const auto& t : *tokens)
    if (CRYPTO_memcmp(t.digest.data(), wanted.data(), wanted.size()) == 0) match = &t;
  if (!match) return std::nullopt;
  return identity{{}, match->scopes, std::nullopt};
}

}  // namespace arraycast::auth
