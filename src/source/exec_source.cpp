#include "source/exec_source.hpp"

#include <unistd.h>

#include <spdlog/spdlog.h>

#include "source/child_process.hpp"

namespace arraycast {

exec_source::exec_source(net::io_context& ioc, const source_config& config, std::string command)
    : strand_(net::make_strand(ioc)),
      config_(config),
      command_(std::move(command)),
      backoff_(config.restart_initial, config.restart_max, uniform_jitter()),
      timer_(strand_),
      stderr_lines_(
          max_stderr_line, [this](std::string_view line) { log_stderr(line); },
          [this](std::size_t bytes) { log_stderr(fmt::format("(a line of {} bytes, too long to log)", bytes)); }),
      stderr_budget_(stderr_lines_per_second, std::chrono::seconds(1)) {}

exec_source::~exec_source() { stop(); }

protocol::stream_info exec_source::describe() const { return {"exec", 0, std::nullopt}; }

// A handler of the current run that does nothing once the source is stopped
// (`this` may be gone then: only the gate is read) or the run is over.
template <class F>
auto exec_source::guarded(F f) {
  return [this, g = gate_, run = run_, f = std::move(f)](auto&&... args) mutable {
    std::lock_guard lock(g->mutex);
    if (g->stopped || run != run_) return;
    f(std::forward<decltype(args)>(args)...);
  };
}

void exec_source::start(packet_sink& out) {
  out_ = &out;
  net::dispatch(strand_, guarded([this] { spawn(); }));
}

void exec_source::stop() {
  if (!gate_->stop()) return;
  if (stdout_) stdout_->close();
  if (pid_ == 0) return;
  const int status = terminate_group(pid_, exit_ ? exit_->native_handle() : -1, grace);
  spdlog::info("exec: stopped '{}' (pid {}): {}", command_, pid_, describe_status(status));
  pid_ = 0;
}

void exec_source::spawn() {
  stderr_lines_.finish();  // the last run's unfinished line, under its pid
  ++run_;
  started_ = std::chrono::steady_clock::now();
  child_process c;
  try {
    c = spawn_shell(command_);
  } catch (const std::system_error& e) {
    spdlog::error("exec: cannot run '{}': {}", command_, e.what());
    return run_over(false);
  }
  pid_ = run_pid_ = c.pid;
  status_ = -1;
  spdlog::info("exec: started '{}' (pid {})", command_, pid_);
  stdout_ = std::make_shared<pipe_reader>(net::posix::stream_descriptor(strand_, c.stdout_fd), config_, *out_, gate_,
                                          [this, run = run_](beast::error_code) {
                                            if (run != run_) return;  // under the gate, not stopped
                                            stdout_open_ = false;
                                            if (status_ >= 0) run_over(exited_cleanly(status_));
                                          });
  stdout_open_ = true;
  stderr_.emplace(strand_, c.stderr_fd);
  exit_.emplace(strand_, c.exit_fd);
  stdout_->start();
  do_read_stderr();
  do_wait_exit();
}

void exec_source::do_wait_exit() {
  exit_->async_wait(net::posix::descriptor_base::wait_read, guarded([this](beast::error_code ec) { on_exit(ec); }));
}

// The pidfd is readable: the child has exited. Its output may still be in the pipe.
void exec_source::on_exit(beast::error_code ec) {
  status_ = try_reap(pid_);
  if (status_ < 0) {
    if (ec) return spdlog::error("exec: cannot wait for pid {}: {}", pid_, ec.message());
    return do_wait_exit();
  }
  pid_ = 0;
  exit_.reset();
  spdlog::log(exited_cleanly(status_) ? spdlog::level::info : spdlog::level::warn, "exec: '{}' (pid {}) {}", command_,
              run_pid_, describe_status(status_));
  if (!stdout_open_) run_over(exited_cleanly(status_));
}

void exec_source::do_read_stderr() {
  stderr_->async_read_some(net::buffer(stderr_buffer_),
                           guarded([this](beast::error_code ec, std::size_t n) { on_stderr(ec, n); }));
}

void exec_source::on_stderr(beast::error_code ec, std::size_t n) {
  if (ec) {
    stderr_lines_.finish();
    report_held_back(stderr_budget_.held_back());
    stderr_budget_ = log_budget(stderr_lines_per_second, std::chrono::seconds(1));
    return stderr_.reset();
  }
  stderr_lines_.feed({stderr_buffer_.data(), n});
  do_read_stderr();
}

void exec_source::log_stderr(std::string_view line) {
  if (line.ends_with('\r')) line.remove_suffix(1);
  const auto v = stderr_budget_.take(log_budget::clock::now());
  report_held_back(v.held_back);
  if (v.log) spdlog::info("exec[{}]: {}", run_pid_, line);
}

void exec_source::report_held_back(std::uint64_t lines) {
  if (lines)
    spdlog::warn("exec[{}]: {} lines of stderr not logged (at most {} a second)", run_pid_, lines,
                 stderr_lines_per_second);
}

// Both the exit and the end of stdout are in: every packet of the run is pushed.
void exec_source::run_over(bool cleanly) {
  stdout_.reset();
  const auto policy = config_.restart;
  if (policy == restart_policy::never || (policy == restart_policy::on_failure && cleanly)) {
    spdlog::info("exec: '{}' is not restarted (--restart {}); the source ends", command_,
                 policy == restart_policy::never ? "never" : "on-failure");
    return out_->ended();
  }
  // A run that held for a while proves the command works: the backoff starts over.
  if (std::chrono::steady_clock::now() - started_ > config_.restart_max) backoff_.reset();
  const auto delay = backoff_.next();
  spdlog::info("exec: restarting '{}' in {} ms", command_, delay.count());
  timer_.expires_after(delay);
  timer_.async_wait(guarded([this](beast::error_code ec) {
    if (!ec) spawn();
  }));
}

}  // namespace arraycast
