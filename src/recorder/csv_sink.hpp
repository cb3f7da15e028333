#pragma once

#include "recorder/line_file.hpp"
#include "recorder/sink.hpp"

namespace arraycast {

// One row per array: seq,array,ts,recv_ts,v0,v1,... under a header written
// with the first packet of a new file. Connection events are "# ..." comment
// lines (pandas: read_csv(comment='#')).
class csv_sink final : public sink {
public:
  explicit csv_sink(const std::string& path);
  void write_packet(const packet& p, std::uint64_t epoch, std::int64_t recv_ts) override;
  void write_event(const record_event& e) override;

private:
  line_file file_;
  bool has_header_;  // the file holds the header (or rows under it)
};

}  // namespace arraycast
