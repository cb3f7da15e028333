#pragma once

#include <sys/types.h>

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "core/backoff.hpp"
#include "core/line_splitter.hpp"
#include "core/log_budget.hpp"
#include "source/packet_source.hpp"
#include "source/pipe_reader.hpp"
#include "source/source_config.hpp"
#include "source/source_gate.hpp"
#include "util/net.hpp"

namespace arraycast {

// `exec:CMD`: runs CMD through /bin/sh (child_process) and reads its stdout
// as `stdin` reads the server's (pipe_reader, line_input); each line of its
// stderr is logged, prefixed with its pid, at most a few a second. When the
// command exits it is run again after a jittered backoff, per
// config.restart; the stream's seq just goes on, so clients see the restart
// only as time passing. Otherwise the source ends.
//
// Runs on a strand of `ioc`. Each handler first takes gate_->mutex and
// returns if the gate is stopped, so once stop() has the gate no handler
// touches the members again (and the source may go): stop() owns them.
class exec_source final : public packet_source {
public:
  exec_source(net::io_context& ioc, const source_config& config, std::string command);
  ~exec_source() override;
  protocol::stream_info describe() const override;
  void start(packet_sink& out) override;
  // SIGTERM to the command's process group, SIGKILL after `grace`; reaped.
  void stop() override;

private:
  static constexpr auto grace = std::chrono::seconds(1);
  // Enough to see what a failing command says, too few to flood the log.
  static constexpr std::size_t stderr_lines_per_second = 20;
  static constexpr std::size_t max_stderr_line = 4096;

  template <class F>
  auto guarded(F f);
  void spawn();
  void do_wait_exit();
  void on_exit(beast::error_code ec);
  void do_read_stderr();
  void on_stderr(beast::error_code ec, std::size_t n);
  void log_stderr(std::string_view line);
  void report_held_back(std::uint64_t lines);
  void run_over(bool cleanly);

  net::strand<net::io_context::executor_type> strand_;
  const source_config config_;
  const std::string command_;
  std::shared_ptr<source_gate> gate_ = std::make_shared<source_gate>();
  packet_sink* out_ = nullptr;
  // Strand only (under the gate):
  backoff backoff_;
  net::steady_timer timer_;
  std::shared_ptr<pipe_reader> stdout_;
  std::optional<net::posix::stream_descriptor> stderr_;
  std::optional<net::posix::stream_descriptor> exit_;  // the child's pidfd
  std::array<char, 4096> stderr_buffer_{};
  line_splitter stderr_lines_;
  log_budget stderr_budget_;
  unsigned run_ = 0;    // counts runs; a handler of an earlier run finds it changed and does nothing
  pid_t pid_ = 0;       // the running child (and its process group); 0 once reaped
  pid_t run_pid_ = 0;   // the current run's child, for its stderr lines and exit, also once reaped
  int status_ = -1;     // its wait status once reaped
  bool stdout_open_ = false;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace arraycast
