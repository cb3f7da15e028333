#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace arraycast {

// Cuts a byte stream (a pipe, a serial port) into lines, holding at most
// `max_line` bytes: a longer line is reported once as too long and skipped
// up to its newline, never accumulated. Pure and single-threaded.
class line_splitter {
public:
  using on_line = std::function<void(std::string_view line)>;
  using on_too_long = std::function<void(std::size_t bytes_so_far)>;

  line_splitter(std::size_t max_line, on_line line, on_too_long too_long);

  void feed(std::string_view bytes);
  // End of input: a last line without a newline still counts.
  void finish();

private:
  void take(std::string_view piece, bool complete);

  std::size_t max_line_;
  on_line line_;
  on_too_long too_long_;
  std::string partial_;      // the current line's bytes so far
  bool skipping_ = false;    // the current line is too long: drop it up to its newline
  std::size_t skipped_ = 0;  // bytes of it seen so far
};

}  // namespace arraycast
