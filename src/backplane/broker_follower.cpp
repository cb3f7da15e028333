#include "backplane/broker_follower.hpp"

#include <spdlog/spdlog.h>

#include "backplane/stream_frames.hpp"

namespace arraycast {

broker_follower::broker_follower(nats_link& link, broker_metrics& metrics, std::uint64_t head, deliver_fn deliver,
                                 describe_fn describe)
    : link_(link),
      metrics_(metrics),
      deliver_(std::move(deliver)),
      describe_(std::move(describe)),
      head_(head),
      reader_([this](std::stop_token stop) { run(stop); }) {}

broker_follower::~broker_follower() { reader_.request_stop(); }

void broker_follower::run(std::stop_token stop) {
  stream_reader reader(link_);
  while (!stop.stop_requested()) {
    if (!ensure_open(reader)) {
      std::this_thread::sleep_for(resubscribe_after);
      continue;
    }
    auto next = reader.next(poll);
    if (auto* m = std::get_if<stream_message>(&next)) take(*m);
    else if (auto* f = std::get_if<stream_reader::failed>(&next)) {
      spdlog::warn("reading stream {} failed ({}); resuming after seq {}", link_.config().stream, f->why, head_);
      reader.close();
    }
  }
}

// After a reconnection (a broker restart forgets consumers) libnats itself
// recreates the ordered consumer from the seq after the last it delivered;
// reopening it here as well raced that recreation inside libnats 3.4 (a
// use-after-free under ASan, a crash in release). The reader is reopened,
// from head + 1, only when reading failed.
bool broker_follower::ensure_open(stream_reader& reader) {
  if (reader.is_open()) return true;
  if (!link_.connected()) return false;
  if (const auto why = reader.open(head_ + 1)) {
    spdlog::warn("cannot read stream {} from seq {}: {}", link_.config().stream, head_ + 1, *why);
    return false;
  }
  return true;
}

void broker_follower::take(const stream_message& m) {
  if (m.seq <= head_) return;  // delivered already: a redelivery after a reconnect
  if (m.seq + m.pending > metrics_.stream_last_seq.load())
    metrics_.stream_last_seq = m.seq + m.pending;
  if (!m.info.empty() && m.info != info_) {
    info_ = m.info;
    if (const auto info = protocol::decode_stream_info(info_)) describe_(*info);
  }
  if (head_ > 0 && m.seq > head_ + 1) deliver_(gap_frame(head_ + 1, m.seq - 1, "the broker no longer holds them"));
  auto frame = frame_of(m.seq, m.payload);
  if (frame.rejected) reject(m.seq, *frame.rejected);
  head_ = m.seq;
  deliver_(frame.f);
}

void broker_follower::reject(std::uint64_t seq, const std::string& why) {
  metrics_.rejected.fetch_add(1, std::memory_order_relaxed);
  const auto verdict = rejections_.take(log_budget::clock::now());
  if (verdict.held_back > 0) spdlog::warn("{} more messages in the stream were not packets", verdict.held_back);
  if (verdict.log)
    spdlog::warn("message {} of stream {} is not a packet ({}); clients get a gap for it", seq, link_.config().stream,
                 why);
}

}  // namespace arraycast
