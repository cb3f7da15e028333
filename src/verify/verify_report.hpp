#pragma once

#include <functional>
#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "verify/packet_match.hpp"
#include "verify/recording_check.hpp"

namespace arraycast {

// What `arraycast verify` found: the recording's account, and the
// comparison with another file when there was one.
struct verify_report {
  std::string path;
  recording_summary recording;
  std::optional<std::string> against_path;
  std::optional<match_summary> match;

  bool ok() const { return recording.ok() && (!match || match->ok()); }
};

// The other side of --against: its next packet, an unreadable line
// (a located_arrays with no value), or the end (nullopt).
using against_item = std::variant<located_arrays, unreadable_line>;
using next_against = std::function<std::optional<against_item>()>;

// Reads every item of a recording (and, with `against`, every packet of the
// other side, position by position with the recording's packets). Pure: the
// reading is done by the callables.
verify_report run_verify(std::string path, const std::function<std::optional<recording_item>()>& next,
                         std::optional<std::string> against_path = std::nullopt, const next_against& against = {});

// "line 12 (epoch 3, seq 7)"
std::string where(const recorded_packet& p);

std::string to_text(const verify_report& r);
boost::json::object to_json(const verify_report& r);

}  // namespace arraycast
