#pragma once

#include <array>
#include <functional>
#include <memory>

#include "source/line_input.hpp"
#include "source/source_gate.hpp"
#include "util/net.hpp"

namespace arraycast {

// Reads a pipe or a terminal asynchronously, on the descriptor's strand, into
// a line_input until EOF: as fast as the producer writes. Lives on by its
// pending read (shared_from_this), so its owner may go at any time.
class pipe_reader : public std::enable_shared_from_this<pipe_reader> {
public:
  // Runs on the strand, under the gate's lock, after line_input::finish(): at
  // EOF (ec is eof) or on a read error. Not after the gate is stopped.
  using on_end = std::function<void(beast::error_code ec)>;

  pipe_reader(net::posix::stream_descriptor pipe, const source_config& config, packet_sink& out,
              std::shared_ptr<source_gate> gate, on_end done);

  void start();
  // From any thread; stop the gate first. The pending read ends, and with it this reader.
  void close();

private:
  static constexpr std::size_t chunk = 64 * 1024;

  void do_read();
  void on_read(beast::error_code ec, std::size_t n);

  net::posix::stream_descriptor pipe_;  // strand only
  std::array<char, chunk> buffer_{};    // strand only
  line_input input_;                    // strand only
  std::shared_ptr<source_gate> gate_;
  on_end done_;
};

}  // namespace arraycast
