#pragma once

#include "recorder/recording_file.hpp"
#include "recorder/sink.hpp"

namespace arraycast {

// One JSON object per line. Packets:
//   {"seq":42,"epoch":E,"ts":T,"recv_ts":R,"arrays":[[...],...]}
// Events carry an "event" field: connected (url), disconnected (reason),
// gap (from, to or null, reason), each with its "time".
class jsonl_sink final : public sink {
public:
  explicit jsonl_sink(const std::string& path);
  void write_packet(const packet& p, std::uint64_t epoch, std::int64_t recv_ts) override;
  void write_event(const record_event& e) override;
  std::optional<resume_point> resume() const override { return file_.resume(); }

private:
  recording_file file_;
};

}  // namespace arraycast
