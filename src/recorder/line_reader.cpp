#include "recorder/line_reader.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace arraycast {

namespace {

constexpr std::size_t chunk = 64 * 1024;

}  // namespace

line_reader::line_reader(const std::string& path, std::size_t max_line)
    : in_(path, std::ios::binary), max_line_(max_line) {
  if (!in_) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
}

// Appends up to one chunk to the buffer, dropping what was returned already.
bool line_reader::fill() {
  buffer_.erase(0, pos_);
  pos_ = 0;
  const auto had = buffer_.size();
  buffer_.resize(had + chunk);
  in_.read(buffer_.data() + had, static_cast<std::streamsize>(chunk));
  buffer_.resize(had + static_cast<std::size_t>(in_.gcount()));
  return buffer_.size() > had;
}

// Drops bytes up to and including the next newline; false if the file ends first.
bool line_reader::skip_rest_of_line() {
  for (;;) {
    const auto nl = buffer_.find('\n', pos_);
    if (nl != std::string::npos) {
      pos_ = nl + 1;
      return true;
    }
    pos_ = buffer_.size();
    if (!fill()) return false;
  }
}

bool line_reader::next(line& out) {
  for (std::size_t from = pos_;;) {
    const auto nl = buffer_.find('\n', from);
    if (nl != std::string::npos && nl - pos_ <= max_line_) {
      out = {std::string_view(buffer_).substr(pos_, nl - pos_), ++number_, false, false};
      pos_ = nl + 1;
      return true;
    }
    if (buffer_.size() - pos_ > max_line_) {
      const bool ended = !skip_rest_of_line();
      out = {{}, ++number_, ended, true};
      return true;
    }
    from = buffer_.size() - pos_;  // where to look again, once fill() moved the line to the front
    if (!fill()) break;
  }
  if (pos_ == buffer_.size()) return false;
  out = {std::string_view(buffer_).substr(pos_), ++number_, true, false};
  pos_ = buffer_.size();
  return true;
}

}  // namespace arraycast
