#include "source/pipe_reader.hpp"

namespace arraycast {

pipe_reader::pipe_reader(net::posix::stream_descriptor pipe, const source_config& config, packet_sink& out,
                         std::shared_ptr<source_gate> gate, on_end done)
    : pipe_(std::move(pipe)), input_(config, out), gate_(std::move(gate)), done_(std::move(done)) {}

void pipe_reader::start() {
  net::dispatch(pipe_.get_executor(), [self = shared_from_this()] { self->do_read(); });
}

void pipe_reader::close() {
  net::post(pipe_.get_executor(), [self = shared_from_this()] {
    beast::error_code ignored;
    self->pipe_.close(ignored);
  });
}

void pipe_reader::do_read() {
  pipe_.async_read_some(net::buffer(buffer_), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
    self->on_read(ec, n);
  });
}

// The gate's lock is held while feeding: once stop() has it, nothing more is pushed.
void pipe_reader::on_read(beast::error_code ec, std::size_t n) {
  std::unique_lock lock(gate_->mutex);
  if (gate_->stopped) return;
  if (ec) {
    input_.finish();
    return done_(ec);
  }
  input_.feed({buffer_.data(), n});
  lock.unlock();
  do_read();
}

}  // namespace arraycast
