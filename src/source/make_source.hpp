#pragma once

#include <memory>

#include "source/packet_source.hpp"
#include "source/source_config.hpp"
#include "util/net.hpp"

namespace arraycast {

// The source that `config.spec` names, running on `ioc`'s threads (or its
// own). Throws std::invalid_argument with a message for the user when the
// spec names no source. `seed`: the random source's, already chosen.
std::unique_ptr<packet_source> make_source(const source_config& config, net::io_context& ioc, std::uint64_t seed);

}  // namespace arraycast
