#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace arraycast {

// An append-only file of text lines, held by one writer at a time.
//
// The file is opened with O_APPEND and locked with flock(LOCK_EX | LOCK_NB),
// so a second recorder on the same file is refused instead of interleaving.
// append() hands one buffer to write(2); if the kernel takes only part of it,
// the rest follows in further calls before append() returns, and if a call
// fails the file is cut back to where the buffer began, so a record is either
// wholly in the file or not at all (as far as this process can tell: no
// fsync, so a power loss may still leave a torn tail, cut off on the next open).
class line_file {
public:
  // Opens or creates `path` for appending and takes its lock. Throws
  // std::runtime_error with the path and the reason.
  explicit line_file(const std::string& path);
  ~line_file();
  line_file(const line_file&) = delete;
  line_file& operator=(const line_file&) = delete;

  void append(std::string_view record);
  // Cuts the file to its first `length` bytes.
  void truncate(std::size_t length);
  // Up to `length` bytes from `offset`.
  std::string read(std::size_t offset, std::size_t length) const;

  const std::string& path() const { return path_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

private:
  std::string path_;
  int fd_ = -1;
  std::size_t size_ = 0;  // what this writer put or found there; nobody else writes while it holds the lock
};

// Walks a file's lines from the last back to the first. It reads in chunks
// that double while a line does not fit, so a line of any length comes back
// whole, and only as much of the file is read as the caller walks.
class reverse_lines {
public:
  // `end`: where the last line to walk ends, just past its newline.
  reverse_lines(const line_file& file, std::size_t end) : file_(file), end_(end), loaded_from_(end) {}

  struct line {
    std::string_view text;  // without its newline; valid until the next call
    std::size_t start = 0;  // offset of its first byte
    std::size_t end = 0;    // offset just past its newline
  };
  // The line before the previous one returned; false at the start of the file.
  bool previous(line& out);

private:
  void load_earlier();

  const line_file& file_;
  std::size_t end_;          // just past the newline of the next line to return
  std::size_t loaded_from_;  // buffer_ holds the file's bytes [loaded_from_, end_)
  std::string buffer_;
};

}  // namespace arraycast
