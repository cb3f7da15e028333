#pragma once

#include "recorder/recording_file.hpp"
#include "recorder/sink.hpp"

namespace arraycast {

// Human-readable. A packet is a "# packet <seq> epoch <epoch>" line, one line
// per array with its receive time, and a blank line that ends it; each
// connection event is a "# ..." line and a blank line:
//   # packet 42 epoch 1764000000 : 1764000000.123456
//   [58 39 38 44 27 73 39 81 28 23] : 1764000000.123456
//
// The packet line is what a restarted recorder resumes from; the blank line
// tells a whole packet from one a crash cut short.
class txt_sink final : public sink {
public:
  explicit txt_sink(const std::string& path);
  void write_packet(const packet& p, std::uint64_t epoch, std::int64_t recv_ts) override;
  void write_event(const record_event& e) override;
  std::optional<resume_point> resume() const override { return file_.resume(); }
  // How this format's lines read: for the restart and for recording_reader.
  static const line_grammar& grammar();

private:
  recording_file file_;
};

}  // namespace arraycast
