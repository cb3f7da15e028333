#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/protocol.hpp"

namespace arraycast::protocol {

// A hello can ride in the upgrade's URL instead of a message
// (`/?name=lab&epoch=…&last_seq=…&encoding=binary`), so that a client
// resumes without sending anything, and a plain client needs no protocol.

// The hello that `target`'s query string holds: nullopt when it names none
// of name, epoch, last_seq and encoding (other parameters, such as token, are
// not the hello's); `default_name` when it holds a hello without a name.
// Refused with the same rules as the hello message.
std::variant<decode_error, std::optional<hello>> hello_from_query(std::string_view target,
                                                                  const std::string& default_name);

// `target` with `h` appended to its query string.
std::string with_hello(std::string_view target, const hello& h);

}  // namespace arraycast::protocol
