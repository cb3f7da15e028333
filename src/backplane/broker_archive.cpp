#include "backplane/broker_archive.hpp"

#include "backplane/stream_frames.hpp"
#include "backplane/stream_reader.hpp"

namespace arraycast {

broker_archive::broker_archive(nats_link& link, broker_metrics& metrics)
    : link_(link), metrics_(metrics), reader_([this](std::stop_token stop) { run(stop); }) {}

broker_archive::~broker_archive() {
  reader_.request_stop();
  wake_.notify_all();
}

void broker_archive::fetch(std::uint64_t from, std::uint64_t to, done_fn done) {
  {
    const std::scoped_lock lock(mutex_);
    requests_.push_back({from, to, std::move(done)});
  }
  wake_.notify_one();
}

void broker_archive::run(std::stop_token stop) {
  while (true) {
    request r;
    {
      std::unique_lock lock(mutex_);
      if (!wake_.wait(lock, stop, [this] { return !requests_.empty(); })) return;
      r = std::move(requests_.front());
      requests_.pop_front();
    }
    r.done(read(r));
  }
}

std::vector<frame_ptr> broker_archive::read(const request& r) {
  std::vector<frame_ptr> frames;
  auto next = r.from;  // the first seq not accounted for yet
  if (r.to - r.from + 1 > max_packets) {
    next = r.to - max_packets + 1;
    frames.push_back(gap_frame(r.from, next - 1, "history"));
  }
  stream_reader reader(link_);
  if (!reader.open(next)) {
    while (next <= r.to) {
      auto m = reader.next(std::chrono::duration_cast<std::chrono::milliseconds>(patience));
      const auto* got = std::get_if<stream_message>(&m);
      if (got == nullptr) break;
      if (got->seq > r.to) break;
      if (got->seq > next) frames.push_back(gap_frame(next, got->seq - 1, "the broker no longer holds them"));
      frames.push_back(frame_of(got->seq, got->payload).f);
      next = got->seq + 1;
      metrics_.replayed.fetch_add(1, std::memory_order_relaxed);
    }
  }
  if (next <= r.to) frames.push_back(gap_frame(next, r.to, "the broker no longer holds them"));
  return frames;
}

}  // namespace arraycast
