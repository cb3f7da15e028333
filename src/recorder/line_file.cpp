#include "recorder/line_file.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

namespace arraycast {

namespace {

std::runtime_error file_error(const std::string& what, const std::string& path) {
  return std::runtime_error(what + " " + path + ": " + std::strerror(errno));
}

// Length of the file up to and including its last newline.
std::size_t complete_length(int fd, std::size_t size) {
  char c = 0;
  std::size_t end = size;
  while (end > 0) {
    if (::pread(fd, &c, 1, static_cast<off_t>(end - 1)) != 1) break;
    if (c == '\n') break;
    --end;
  }
  return end;
}

}  // namespace

line_file::line_file(const std::string& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) throw file_error("cannot open", path);
  struct stat st{};
  if (::fstat(fd_, &st) != 0) throw file_error("cannot stat", path);
  size_ = static_cast<std::size_t>(st.st_size);
  const auto complete = complete_length(fd_, size_);
  if (complete != size_) {
    spdlog::warn("{} ended in a torn line ({} bytes); cutting it off", path, size_ - complete);
    if (::ftruncate(fd_, static_cast<off_t>(complete)) != 0) throw file_error("cannot truncate", path);
    size_ = complete;
  }
}

line_file::~line_file() {
  if (fd_ >= 0) ::close(fd_);
}

void line_file::append(std::string_view lines) {
  while (!lines.empty()) {
    const auto n = ::write(fd_, lines.data(), lines.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw file_error("cannot write", path_);
    lines.remove_prefix(static_cast<std::size_t>(n));
    size_ += static_cast<std::size_t>(n);
  }
}

std::string line_file::tail(std::size_t max_bytes) const {
  const auto start = size_ > max_bytes ? size_ - max_bytes : 0;
  std::string text(size_ - start, '\0');
  const auto n = ::pread(fd_, text.data(), text.size(), static_cast<off_t>(start));
  text.resize(n < 0 ? 0 : static_cast<std::size_t>(n));
  if (start > 0) {
    const auto nl = text.find('\n');
    text.erase(0, nl == std::string::npos ? text.size() : nl + 1);
  }
  return text;
}

}  // namespace arraycast
