#pragma once

#include <chrono>
#include <cstdint>

namespace arraycast {

// Wall-clock time in integer microseconds since the Unix epoch: the unit of
// every timestamp on the wire and in recorded files.
inline std::int64_t now_us() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace arraycast
