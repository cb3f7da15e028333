#include "source/stdin_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <system_error>

#include <spdlog/spdlog.h>

#include "source/pipe_reader.hpp"

namespace arraycast {

namespace {

// The file reader's sink: each packet waits until the stream can take the
// next, so that a file is streamed as fast as its clients take it, neither
// queued whole in memory nor sent in bursts that overflow their queues.
class paced_sink final : public packet_sink {
public:
  paced_sink(packet_sink& out, std::shared_ptr<source_gate> g) : out_(out), gate_(std::move(g)) {}

  void push(source_packet p) override {
    {
      std::lock_guard lock(gate_->mutex);
      if (gate_->stopped) return;
      gate_->ready = false;
    }
    out_.push(std::move(p));
    out_.when_ready([g = gate_] {
      std::lock_guard lock(g->mutex);
      g->ready = true;
      g->wake.notify_all();
    });
    std::unique_lock lock(gate_->mutex);
    gate_->wake.wait(lock, [this] { return gate_->ready || gate_->stopped; });
  }
  void lost(std::uint64_t count, std::string reason) override { out_.lost(count, std::move(reason)); }
  void rejected(reject_reason reason, std::string_view detail) override { out_.rejected(reason, detail); }
  void ended() override { out_.ended(); }
  void when_ready(std::function<void()> next) override { out_.when_ready(std::move(next)); }

private:
  packet_sink& out_;
  std::shared_ptr<source_gate> gate_;
};

// A descriptor of our own, so that closing it leaves `fd` open; not inherited by a child process.
int duplicate(int fd) {
  const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (copy < 0) throw std::system_error(errno, std::system_category(), "stdin");
  return copy;
}

void log_end(packet_sink& out, beast::error_code ec) {
  if (ec && ec != net::error::eof)
    spdlog::error("stdin: {}; the source ends", ec.message());
  else
    spdlog::info("stdin: end of input");
  out.ended();
}

}  // namespace

stdin_source::stdin_source(net::io_context& ioc, const source_config& config, int fd)
    : ioc_(ioc), config_(config), fd_(fd), original_flags_(::fcntl(fd, F_GETFL)) {}

stdin_source::~stdin_source() {
  stop();
  if (original_flags_ >= 0) ::fcntl(fd_, F_SETFL, original_flags_);  // a terminal shared with the shell
}

protocol::stream_info stdin_source::describe() const { return {"stdin", 0, std::nullopt}; }

// Asio would take a regular file too (epoll refuses it, and Asio then reads
// it without the reactor), but every read would be on the loop, and a file
// of a million lines would be pushed as fast as the disk reads.
void stdin_source::start(packet_sink& out) {
  struct stat st {};
  if (::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode)) {
    paced_ = std::make_unique<paced_sink>(out, gate_);
    file_input_.emplace(config_, *paced_);
    file_reader_ = std::jthread([this] { read_file(); });
    return;
  }
  const int fd = duplicate(fd_);
  net::posix::stream_descriptor pipe(net::make_strand(ioc_));
  beast::error_code ec;
  pipe.assign(fd, ec);
  if (ec) {
    ::close(fd);
    throw std::system_error(ec, "stdin");
  }
  pipe_ = std::make_shared<pipe_reader>(std::move(pipe), config_, out, gate_,
                                        [&out](beast::error_code end) { log_end(out, end); });
  pipe_->start();
}

void stdin_source::stop() {
  if (!gate_->stop()) return;
  if (file_reader_.joinable()) file_reader_.join();
  if (pipe_) pipe_->close();
  pipe_.reset();
}

// In chunks, not lines: a line longer than --max-input is skipped by the
// splitter, never held whole. stop() joins this thread, so nothing is pushed
// after it returns; a stopped gate ends the paced sink's wait.
void stdin_source::read_file() {
  std::array<char, 64 * 1024> buffer{};
  for (;;) {
    const auto n = ::read(fd_, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const beast::error_code ec = n < 0 ? beast::error_code(errno, beast::system_category()) : beast::error_code{};
      file_input_->finish();
      return log_end(*paced_, ec);
    }
    file_input_->feed({buffer.data(), static_cast<std::size_t>(n)});
    std::lock_guard lock(gate_->mutex);
    if (gate_->stopped) return;
  }
}

}  // namespace arraycast
