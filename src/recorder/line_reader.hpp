#pragma once

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>

namespace arraycast {

// Reads a file's lines from the first to the last, a chunk at a time, for
// readers that must not hold a whole recording in memory (verify, replay).
// It opens the file read-only and takes no lock, so a recording can be read
// while a recorder appends to it.
class line_reader {
public:
  // A line longer than any packet the stream can carry (max_packet_values
  // numbers of up to 25 characters each) is skipped, never held whole.
  static constexpr std::size_t default_max_line = 64 * 1024 * 1024;

  // Throws std::runtime_error with the path and the reason.
  explicit line_reader(const std::string& path, std::size_t max_line = default_max_line);

  struct line {
    std::string_view text;     // without its newline; valid until the next call; empty when too_long
    std::uint64_t number = 0;  // 1 for the first line
    bool torn = false;         // the last line, cut short: no newline ends it
    bool too_long = false;     // over max_line: skipped
  };
  // The next line; false at the end of the file.
  bool next(line& out);

private:
  bool fill();
  bool skip_rest_of_line();

  std::ifstream in_;
  const std::size_t max_line_;
  std::string buffer_;         // bytes read and not yet returned start at pos_
  std::size_t pos_ = 0;
  std::uint64_t number_ = 0;   // of the last line returned
};

}  // namespace arraycast
