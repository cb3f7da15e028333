#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace arraycast::auth {

// What a token may do. A request needs one scope (see route_scope); a token
// carries a set of them.
enum class scope : unsigned { read = 1, publish = 2, admin = 4 };

// A set of scopes, as bits of `scope`.
class scope_set {
public:
  static scope_set all() { return scope_set(7); }
  void add(scope s) { bits_ |= static_cast<unsigned>(s); }
  bool has(scope s) const { return (bits_ & static_cast<unsigned>(s)) != 0; }
  bool empty() const { return bits_ == 0; }
  // "read publish": the names in the order read, publish, admin.
  std::string text() const;

  scope_set() = default;

private:
  explicit scope_set(unsigned bits) : bits_(bits) {}
  unsigned bits_ = 0;
};

// "read", "publish" or "admin"; anything else: nullopt.
std::optional<scope> parse_scope(std::string_view word);

// The scopes named in a space-separated list (OAuth's `scope` claim).
// Names this server does not know are skipped: a token may carry scopes
// meant for other services.
scope_set parse_scope_claim(std::string_view claim);

}  // namespace arraycast::auth
