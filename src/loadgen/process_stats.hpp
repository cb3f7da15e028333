#pragma once

#include <cstdint>
#include <optional>

namespace arraycast {

// CPU time and memory of a process, read at one instant.
struct process_sample {
  double cpu_s = 0;               // user + system
  std::uint64_t rss_kib = 0;      // VmRSS: resident now
  std::uint64_t hwm_kib = 0;      // VmHWM: peak resident
};

// This process: getrusage(RUSAGE_SELF) and /proc/self/status.
process_sample sample_self();

// Another process, from /proc/PID/stat and /proc/PID/status; nullopt when it
// is gone or unreadable.
std::optional<process_sample> sample_process(int pid);

}  // namespace arraycast
