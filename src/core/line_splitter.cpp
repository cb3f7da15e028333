#include "core/line_splitter.hpp"

namespace arraycast {

line_splitter::line_splitter(std::size_t max_line, on_line line, on_too_long too_long)
    : max_line_(max_line), line_(std::move(line)), too_long_(std::move(too_long)) {}

void line_splitter::feed(std::string_view bytes) {
  while (!bytes.empty()) {
    const auto nl = bytes.find('\n');
    take(bytes.substr(0, nl), nl != std::string_view::npos);
    if (nl == std::string_view::npos) return;
    bytes.remove_prefix(nl + 1);
  }
}

void line_splitter::finish() {
  if (!partial_.empty() && !skipping_) line_(partial_);
  partial_.clear();
  skipping_ = false;
}

// `piece` continues the current line; `complete` when a newline ended it.
void line_splitter::take(std::string_view piece, bool complete) {
  if (!skipping_ && partial_.size() + piece.size() > max_line_) {
    skipping_ = true;
    skipped_ = partial_.size();
    partial_.clear();
    partial_.shrink_to_fit();  // a too long line must not keep its memory either
  }
  if (skipping_) {
    skipped_ += piece.size();
    if (!complete) return;
    too_long_(skipped_);
    skipping_ = false;
    return;
  }
  if (!complete) {
    partial_.append(piece);
    return;
  }
  if (partial_.empty()) return line_(piece);  // the common case: no copy
  partial_.append(piece);
  line_(partial_);
  partial_.clear();
}

}  // namespace arraycast
