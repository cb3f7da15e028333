#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "recorder/line_file.hpp"
#include "recorder/sink.hpp"

namespace arraycast {

// What one complete line of a recording tells a restarted recorder.
struct line_meaning {
  enum class kind {
    foreign,    // not a line this format writes (or a damaged one)
    other,      // an array, a connection event, a header, a blank line
    packet,     // a packet (or its last row, csv): `at` is its epoch and seq
    gap,        // a bounded gap: `at.last_seq` is its last missing seq
    new_epoch,  // the rest of an epoch is lost; what follows is the next epoch's
  };
  kind what = kind::foreign;
  bool ends_record = false;  // a packet or event is complete once this line is in the file
  resume_point at{};
};

// How a format's lines read. One per format, next to the sink that writes them.
struct line_grammar {
  std::string_view name;                          // "txt", for messages
  line_meaning (*read)(std::string_view line);
  bool (*may_start)(std::string_view torn_line);  // a first line cut short could be one of ours
};

// A recording on disk in one format: the line_file under a sink, plus what
// that format needs to pick the file up again after a restart or a crash.
//
// Opening refuses a non-empty file whose first line is not of this format
// (nothing is cut off then), and cuts off a trailing partial record: a torn
// last line, and complete lines after the last one that ends a record (a
// packet missing its last lines). Lines it cannot read are never cut off.
class recording_file {
public:
  recording_file(const std::string& path, const line_grammar& grammar);

  void append(std::string_view record) { file_.append(record); }
  bool empty() const { return file_.empty(); }
  const std::string& path() const { return file_.path(); }

  // The last packet the file holds, moved past the bounded gaps recorded
  // after it in the same epoch; empty if the file holds no packet it can read.
  std::optional<resume_point> resume() const;

private:
  void check_first_line();
  void cut_partial_record();

  line_file file_;
  const line_grammar& grammar_;
};

}  // namespace arraycast
