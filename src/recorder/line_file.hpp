#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace arraycast {

// An append-only file of text lines. Each append() is written with write(2)
// in full before it returns: no user-space buffer to lose, nothing to flush.
class line_file {
public:
  // Opens or creates `path` for appending; cuts off a torn last line.
  // Throws std::runtime_error with the path and the reason.
  explicit line_file(const std::string& path);
  ~line_file();
  line_file(const line_file&) = delete;
  line_file& operator=(const line_file&) = delete;

  void append(std::string_view lines);
  bool empty() const { return size_ == 0; }
  // Up to the last `max_bytes` of the file, starting at a line boundary.
  std::string tail(std::size_t max_bytes) const;

private:
  std::string path_;
  int fd_ = -1;
  std::size_t size_ = 0;
};

}  // namespace arraycast
