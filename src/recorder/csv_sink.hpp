#pragma once

#include <string>

#include "recorder/recording_file.hpp"
#include "recorder/sink.hpp"

namespace arraycast {

// One row per array, under a header that is the file's first line:
//   seq,epoch,array,arrays,ts,recv_ts,v0,v1,...
// `arrays` is the packet's array count, so the row with array = arrays - 1
// ends a packet: a restart tells a whole packet from one a crash cut short.
// Connection events are "# ..." comment lines (pandas: read_csv(comment='#')).
// The header needs the first packet's length, so a new file holds back the
// events that come before it and writes them right after it; a run that
// records no packet at all leaves a new file empty.
class csv_sink final : public sink {
public:
  explicit csv_sink(const std::string& path);
  ~csv_sink() override;
  void write_packet(const packet& p, std::uint64_t epoch, std::int64_t recv_ts) override;
  void write_event(const record_event& e) override;
  std::optional<resume_point> resume() const override { return file_.resume(); }
  // How this format's lines read: for the restart and for recording_reader.
  static const line_grammar& grammar();

private:
  recording_file file_;
  bool has_header_;    // the file holds the header (and so may hold rows)
  std::string held_;   // events waiting for the header of a new file
};

}  // namespace arraycast
