#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "source/packet_source.hpp"
#include "source/source_config.hpp"
#include "util/net.hpp"

namespace arraycast {

// The source that `config.spec` names, running on `ioc`'s threads (or its
// own). Throws std::invalid_argument with a message for the user when the
// spec names no source. `seed`: the random source's, already chosen.
std::unique_ptr<packet_source> make_source(const source_config& config, net::io_context& ioc, std::uint64_t seed);

// The kind a spec names ("exec" for "exec:CMD"), and whether it is a source.
std::string_view source_kind(std::string_view spec);
// What follows the kind ("CMD" for "exec:CMD"); empty when nothing does.
std::string_view source_argument(std::string_view spec);
bool is_source_kind(std::string_view kind);
// Whether the kind is given as KIND:ARGUMENT (exec, udp, serial, replay).
bool source_takes_argument(std::string_view kind);
// For help and error messages: "random, stdin, ..."
std::string source_kinds();

}  // namespace arraycast
