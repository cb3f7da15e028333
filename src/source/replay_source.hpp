#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "recorder/recording_reader.hpp"
#include "source/packet_source.hpp"
#include "util/net.hpp"

namespace arraycast {

// A recording streamed again (`replay:FILE`): its packets, in file order,
// with the producer's ts they were recorded with, paced by those ts divided
// by `speed` (txt records no producer ts: it is paced by the receive times
// and the stream stamps the packets). With speed 0, as fast as the stream
// lets it (when_ready); at any speed a packet waits for when_ready, so a
// recording whose packets share one time cannot flood the stream.
//
// A bounded gap in the file is announced with lost(count); a `to: null` gap
// (the recorded server restarted) as lost(1): how many packets the old epoch
// lost is unknown, and one is the least that tells the clients. Unreadable
// lines are rejected (not_a_packet) and skipped. At the end: ended(), or
// with `loop` the file again from its start, the ts of pass k (from 0)
// moved on by k times the recording's span plus one mean interval, so that
// ts keeps rising at the recorded pace.
//
// The file is read on the source's strand, a line at a time between timer
// waits; every member but the guarded ones is touched only there.
class replay_source final : public packet_source {
public:
  // Opens the file: throws std::runtime_error if it is not a readable recording.
  replay_source(net::io_context& ioc, std::string path, double speed, bool loop);
  protocol::stream_info describe() const override;
  void start(packet_sink& out) override;
  void stop() override;

private:
  // How far behind its schedule the replay may fall and still catch up;
  // after a longer stall it carries on from now, not in a burst.
  static constexpr auto max_catch_up = std::chrono::milliseconds(100);
  // Non-packet lines handled before yielding the strand to other handlers.
  static constexpr int lines_per_turn = 256;

  void do_read();
  bool handle(recording_item& item);
  void announce(const recorded_event& e);
  bool start_over();
  void do_wait(const recorded_packet& p);
  void on_due(beast::error_code ec);
  void push_current();
  bool send(const std::function<void()>& call);

  const std::string path_;
  const double speed_;
  const bool loop_;
  net::steady_timer timer_;
  packet_sink* out_ = nullptr;
  std::unique_ptr<recording_reader> reader_;
  std::optional<recorded_packet> current_;   // read, waiting for its time and for the stream
  std::optional<std::uint64_t> epoch_;       // of the last packet read
  std::chrono::steady_clock::time_point due_;
  std::optional<std::int64_t> paced_by_;     // the time the last packet was recorded with
  std::uint64_t pass_ = 0;
  std::uint64_t pass_packets_ = 0;
  std::optional<std::int64_t> first_ts_;     // of the first pass, for the next passes' ts
  std::int64_t last_ts_ = 0;
  std::int64_t pass_shift_ = 0;              // added to the ts of each pass after the first, per pass

  std::mutex mutex_;
  bool stopped_ = false;  // guarded by mutex_: no call into out_ once stop() has returned
};

}  // namespace arraycast
