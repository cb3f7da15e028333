#pragma once

#include "client/publisher.hpp"

namespace arraycast {

// `arraycast publish`: runs the source and the publisher until the source
// has ended and everything is acknowledged, or a signal; returns the exit code.
int run_publish(const publish_config& config);

}  // namespace arraycast
