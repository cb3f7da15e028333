#pragma once

#include <string_view>

#include "core/line_decoder.hpp"
#include "core/line_splitter.hpp"
#include "source/packet_source.hpp"
#include "source/source_config.hpp"

namespace arraycast {

// Bytes from a producer (a pipe, a serial port) to packets in a sink: split
// into lines of at most config.max_input bytes, decoded per
// config.format, pushed or rejected. Shared by every line source, so that
// they all read the same forms. Single-threaded: the source's reader only.
class line_input {
public:
  line_input(const source_config& config, packet_sink& out);

  void feed(std::string_view bytes) { splitter_.feed(bytes); }
  void finish() { splitter_.finish(); }
  // One whole message (a datagram): a line on its own.
  void feed_message(std::string_view message);

private:
  void on_line(std::string_view line);

  packet_sink& out_;
  std::size_t max_input_;
  line_decoder decoder_;
  line_splitter splitter_;
};

}  // namespace arraycast
