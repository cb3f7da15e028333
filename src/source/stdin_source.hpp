#pragma once

#include <memory>
#include <optional>
#include <thread>

#include "source/line_input.hpp"
#include "source/packet_source.hpp"
#include "source/pipe_reader.hpp"
#include "source/source_config.hpp"
#include "source/source_gate.hpp"
#include "util/net.hpp"

namespace arraycast {

// `stdin`: the server's standard input, one packet per line (line_input).
//
// A pipe or a terminal is read asynchronously on a strand of `ioc`, as fast
// as the producer writes: a live source, never slowed by clients. A regular
// file (`serve --source stdin < file`), which epoll refuses, is read on a
// thread of its own and paced by the stream (when_ready), the way a replay
// is. Either way EOF ends the source. `fd` is the input (STDIN_FILENO; tests
// pass a pipe or a file).
class stdin_source final : public packet_source {
public:
  stdin_source(net::io_context& ioc, const source_config& config, int fd);
  ~stdin_source() override;
  protocol::stream_info describe() const override;
  void start(packet_sink& out) override;
  void stop() override;

private:
  void read_file();

  net::io_context& ioc_;
  const source_config config_;
  const int fd_;
  const int original_flags_;                // fd_'s flags, restored at the end: Asio makes a pipe non-blocking
  std::shared_ptr<source_gate> gate_ = std::make_shared<source_gate>();
  std::shared_ptr<pipe_reader> pipe_;       // a pipe or terminal: lives on by its pending read
  std::unique_ptr<packet_sink> paced_;      // file_reader_'s sink: the stream, waited for
  std::optional<line_input> file_input_;    // file_reader_ only
  std::jthread file_reader_;                // regular files only
};

}  // namespace arraycast
