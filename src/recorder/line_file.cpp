#include "recorder/line_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

namespace arraycast {

namespace {

constexpr std::size_t first_chunk = 64 * 1024;

std::runtime_error file_error(const std::string& what, const std::string& path) {
  return std::runtime_error(what + " " + path + ": " + std::strerror(errno));
}

// Takes the file's writer lock, or says who holds it.
void lock(int fd, const std::string& path) {
  if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return;
  if (errno != EWOULDBLOCK) throw file_error("cannot lock", path);
  throw std::runtime_error("another recorder is writing to " + path +
                           " (it holds the file's lock); give this one another --out");
}

}  // namespace

line_file::line_file(const std::string& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) throw file_error("cannot open", path);
  try {
    lock(fd_, path);
    struct stat st{};
    if (::fstat(fd_, &st) != 0) throw file_error("cannot stat", path);
    size_ = static_cast<std::size_t>(st.st_size);
  } catch (...) {
    ::close(fd_);
    throw;
  }
}

line_file::~line_file() {
  if (fd_ >= 0) ::close(fd_);
}

void line_file::append(std::string_view record) {
  const auto start = size_;
  while (!record.empty()) {
    const auto n = ::write(fd_, record.data(), record.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;
      const auto error = file_error("cannot write", path_);
      if (size_ != start) truncate(start);  // the part already written must not pass for a record
      throw error;
    }
    record.remove_prefix(static_cast<std::size_t>(n));
    size_ += static_cast<std::size_t>(n);
  }
}

void line_file::truncate(std::size_t length) {
  if (::ftruncate(fd_, static_cast<off_t>(length)) != 0) throw file_error("cannot truncate", path_);
  size_ = length;
}

std::string line_file::read(std::size_t offset, std::size_t length) const {
  std::string text(length, '\0');
  std::size_t got = 0;
  while (got < length) {
    const auto n = ::pread(fd_, text.data() + got, length - got, static_cast<off_t>(offset + got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw file_error("cannot read", path_);
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  text.resize(got);
  return text;
}

bool reverse_lines::previous(line& out) {
  if (end_ == 0) return false;
  for (;; load_earlier()) {
    if (loaded_from_ == end_) continue;
    // The newline at end_ - 1 ends this line; the one before it, once loaded, starts it.
    const auto before = std::string_view(buffer_).substr(0, end_ - 1 - loaded_from_);
    const auto nl = before.rfind('\n');
    if (nl != std::string_view::npos || loaded_from_ == 0) {
      out.start = nl == std::string_view::npos ? 0 : loaded_from_ + nl + 1;
      out.end = end_;
      out.text = std::string_view(buffer_).substr(out.start - loaded_from_, end_ - 1 - out.start);
      end_ = out.start;
      return true;
    }
  }
}

void reverse_lines::load_earlier() {
  buffer_.resize(end_ - loaded_from_);  // what lies past end_ was returned already
  const auto chunk = std::min(loaded_from_, std::max(first_chunk, buffer_.size()));
  loaded_from_ -= chunk;
  buffer_.insert(0, file_.read(loaded_from_, chunk));
}

}  // namespace arraycast
