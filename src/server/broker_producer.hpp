#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "backplane/nats_link.hpp"
#include "server/metrics.hpp"
#include "server/rejection_log.hpp"
#include "source/packet_source.hpp"
#include "util/net.hpp"

namespace arraycast {

// A producing node's way into the broker's stream: what the source pushes
// here, one publisher thread puts into JetStream, each message as "the one
// after seq N" (JetStream's expected last sequence). So of two producers
// only one can ever give a seq its packet: the other is told the seq is
// taken and steps down. A message whose ack was lost is sent again with the
// same message id, which JetStream recognises and stores once.
//
// While it is the active producer it says so on a plain NATS subject every
// broker_config::heartbeat, which is what standbys listen for.
class broker_producer final : public packet_sink {
public:
  broker_producer(nats_link& link, net::io_context& ioc, server_metrics& metrics, protocol::stream_info info);
  ~broker_producer() override;
  broker_producer(const broker_producer&) = delete;
  broker_producer& operator=(const broker_producer&) = delete;

  // Makes this node the active producer, continuing after `last_seq`, the
  // stream's newest. Any thread.
  void activate(std::uint64_t last_seq);
  bool active() const { return active_.load(); }
  // Tells whether the sender of a heartbeat is this node.
  bool is_self(std::string_view id) const { return id == id_; }

  void push(source_packet p) override;
  void lost(std::uint64_t count, std::string reason) override;
  void rejected(reject_reason reason, std::string_view detail) override;
  void ended() override;
  void when_ready(std::function<void()> next) override;

private:
  // A packet, or (lost > 0) packets the source lost, which take one seq.
  struct entry {
    source_packet p;
    std::uint64_t lost = 0;
    std::string reason;
  };
  enum class outcome { stored, taken, failed };

  // Messages waiting for the broker; past it, the source's packets are
  // dropped and the count goes into the stream as one loss.
  static constexpr std::size_t max_backlog = 4096;
  // How far ahead of the broker a source that can wait may run.
  static constexpr std::size_t window = 32;
  static constexpr auto retry_after = std::chrono::milliseconds(250);

  void enqueue(entry e);
  void run(std::stop_token stop);
  void publish_front(std::stop_token stop);
  outcome put(const entry& e, std::uint64_t seq, const std::string& msg_id, std::string& why);
  void step_down(std::uint64_t seq);
  void release_waiter();
  void beat();

  nats_link& link_;
  net::io_context& ioc_;
  server_metrics& metrics_;
  rejection_log rejections_;
  const std::string info_;  // the stream_info header, the same on every message
  const std::string id_;    // this node, in message ids and heartbeats

  // This mutex synchronizes backlog_, lost_, waiter_ and last_seq_.
  std::mutex mutex_;
  std::condition_variable_any wake_;
  std::deque<entry> backlog_;
  std::uint64_t lost_ = 0;              // dropped over max_backlog, not yet in the backlog as a loss
  std::function<void()> waiter_;        // a when_ready() waiting for room
  std::uint64_t last_seq_ = 0;          // the stream's newest seq as this producer knows it
  std::uint64_t messages_ = 0;          // publisher thread only: numbers the message ids
  std::atomic<bool> active_{false};
  std::jthread publisher_;              // last: stops and joins before the rest goes
};

}  // namespace arraycast
