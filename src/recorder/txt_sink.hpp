#pragma once

#include "recorder/line_file.hpp"
#include "recorder/sink.hpp"

namespace arraycast {

// Human-readable: one line per array with its receive time, a blank line
// after each packet, and a "# ..." marker line for each connection event:
//   [58 39 38 44 27 73 39 81 28 23] : 1764000000.123456
class txt_sink final : public sink {
public:
  explicit txt_sink(const std::string& path) : file_(path) {}
  void write_packet(const packet& p, std::uint64_t epoch, std::int64_t recv_ts) override;
  void write_event(const record_event& e) override;

private:
  line_file file_;
};

}  // namespace arraycast
