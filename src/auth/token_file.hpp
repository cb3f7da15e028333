#pragma once

#include <array>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/identity.hpp"

namespace arraycast::auth {

// One line of a --token-file: a token and the scopes it grants. Only the
// token's SHA-256 is kept, so that every lookup compares digests of the same
// length in constant time and memory holds no usable token.
struct static_token {
  std::array<unsigned char, 32> digest;
  scope_set scopes;
};

// Parses a token file's text: one `token scope…` a line, `#` starts a
// comment, blank lines are skipped. Throws std::runtime_error naming
// `file` and the line for a line without scopes or with an unknown scope.
std::vector<static_token> parse_token_file(std::string_view text, const std::string& file);

// Reads and parses `path`; throws std::runtime_error if it cannot.
std::vector<static_token> load_token_file(const std::string& path);

// The tokens of one file, swapped whole by reload(). Thread-safe.
class static_tokens {
public:
  explicit static_tokens(std::string path);  // loads it: throws like load_token_file
  // Reads the file again; on an error the old tokens stay and it throws.
  void reload();
  // The scopes of `token`, or nullopt. Looks at every entry, match or not.
  std::optional<identity> find(std::string_view token) const;

private:
  using list = std::vector<static_token>;

  const std::string path_;
  mutable std::mutex mutex_;            // guards tokens_ (the pointer, not the list: that is immutable)
  std::shared_ptr<const list> tokens_;  // guarded by mutex_
};

}  // namespace arraycast::auth
