#include "loadgen/process_stats.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace arraycast {

namespace {

double seconds(const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; }

// Fills rss and hwm from a /proc/<pid>/status file; false if unreadable.
bool read_memory(const std::string& path, process_sample& out) {
  std::ifstream in(path);
  if (!in) return false;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string key;
    std::uint64_t kib = 0;
    fields >> key >> kib;
    if (key == "VmRSS:") out.rss_kib = kib;
    if (key == "VmHWM:") out.hwm_kib = kib;
  }
  return true;
}

// utime + stime (fields 14 and 15) of /proc/<pid>/stat, in seconds.
std::optional<double> read_cpu(const std::string& path) {
  std::ifstream in(path);
  std::string text;
  if (!in || !std::getline(in, text)) return std::nullopt;
  const auto after_name = text.rfind(')');  // the command name may hold spaces
  if (after_name == std::string::npos) return std::nullopt;
  std::istringstream fields(text.substr(after_name + 2));
  std::string skip;
  for (int field = 3; field < 14; ++field) fields >> skip;
  unsigned long long utime = 0;
  unsigned long long stime = 0;
  if (!(fields >> utime >> stime)) return std::nullopt;
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace

process_sample sample_self() {
  process_sample s;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  s.cpu_s = seconds(usage.ru_utime) + seconds(usage.ru_stime);
  read_memory("/proc/self/status", s);
  return s;
}

std::optional<process_sample> sample_process(int pid) {
  const auto dir = "/proc/" + std::to_string(pid);
  auto cpu = read_cpu(dir + "/stat");
  if (!cpu) return std::nullopt;
  process_sample s;
  s.cpu_s = *cpu;
  if (!read_memory(dir + "/status", s)) return std::nullopt;
  return s;
}

}  // namespace arraycast
