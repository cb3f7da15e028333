#include "recorder/recording_file.hpp"

#include <algorithm>
#include <stdexcept>

#include <spdlog/spdlog.h>

namespace arraycast {

namespace {

std::runtime_error not_a_recording(const std::string& path, std::string_view format) {
  return std::runtime_error(fmt::format("{} is not a {} recording (its first line is not one this format writes); "
                                        "refusing to append to it: give --out a new file or the right --format",
                                        path, format));
}

// Just past the file's last newline: where a torn last line starts.
std::size_t complete_lines_end(const line_file& file) {
  constexpr std::size_t chunk = 4096;
  for (auto end = file.size(); end > 0;) {
    const auto start = end - std::min(end, chunk);
    const auto nl = file.read(start, end - start).rfind('\n');
    if (nl != std::string::npos) return start + nl + 1;
    end = start;
  }
  return 0;
}

}  // namespace

recording_file::recording_file(const std::string& path, const line_grammar& grammar) : file_(path), grammar_(grammar) {
  if (file_.empty()) return;
  check_first_line();
  cut_partial_record();
}

// Reads forward, in growing chunks, until the first newline or the end.
void recording_file::check_first_line() {
  std::string head;
  for (std::size_t chunk = 4096; head.size() < file_.size() && head.find('\n') == std::string::npos; chunk *= 2)
    head += file_.read(head.size(), chunk);
  const auto nl = head.find('\n');
  const bool ours = nl == std::string::npos ? grammar_.may_start(head)
                                            : grammar_.read(std::string_view(head).substr(0, nl)).what !=
                                                  line_meaning::kind::foreign;
  if (!ours) throw not_a_recording(file_.path(), grammar_.name);
}

// Walks back to the last line that completes a record (or that it cannot
// read, which is kept as it is) and cuts off what follows.
void recording_file::cut_partial_record() {
  std::size_t keep = 0;
  reverse_lines lines(file_, complete_lines_end(file_));
  reverse_lines::line line;
  while (lines.previous(line)) {
    const auto m = grammar_.read(line.text);
    if (m.ends_record || m.what == line_meaning::kind::foreign) {
      keep = line.end;
      break;
    }
  }
  if (keep == file_.size()) return;
  spdlog::warn("{} ended in a partial record ({} bytes); cutting it off", file_.path(), file_.size() - keep);
  file_.truncate(keep);
}

// Backwards from the end: bounded gaps raise the resume point of the packet
// before them, but only those after the last "new epoch" line, which start
// another epoch's account.
std::optional<resume_point> recording_file::resume() const {
  std::uint64_t gap_end = 0;  // the furthest bounded gap seen so far (0: none)
  reverse_lines lines(file_, file_.size());
  reverse_lines::line line;
  while (lines.previous(line)) {
    const auto m = grammar_.read(line.text);
    switch (m.what) {
      case line_meaning::kind::packet:
        return resume_point{m.at.epoch, std::max(m.at.last_seq, gap_end)};
      case line_meaning::kind::gap:
        gap_end = std::max(gap_end, m.at.last_seq);
        break;
      case line_meaning::kind::new_epoch:
        gap_end = 0;
        break;
      case line_meaning::kind::other:
      case line_meaning::kind::foreign:
        break;
    }
  }
  return std::nullopt;
}

}  // namespace arraycast
