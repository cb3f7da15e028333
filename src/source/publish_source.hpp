#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/producer_ledger.hpp"
#include "core/protocol.hpp"
#include "source/packet_source.hpp"

namespace arraycast {

// `serve --source publish`: the packets of a remote producer, which the
// server's /publish sessions hand over (server/publish_session). One
// producer connection at a time holds the source (a claim); its packets are
// streamed in the order it sends them, each once, and acknowledged once in
// history through the claim's ack function.
// Thread-safe: sessions call in from any event loop, the stream calls back
// on its strand.
class publish_source final : public packet_source {
public:
  // Runs on the stream's strand; must only post.
  using ack_fn = std::function<void(std::string_view producer, std::uint64_t pseq, std::uint64_t seq)>;

  // The right to publish, held by one connection at a time: given back when destroyed.
  class claim {
  public:
    claim(claim&& other) noexcept : source_(std::exchange(other.source_, nullptr)) {}
    claim& operator=(claim&&) = delete;
    ~claim();
    // Where this connection's acks go, from now on.
    void on_ack(ack_fn f);
    // Streams `m` unless it is a resend; returns the error to answer with, if any.
    std::optional<protocol::publish_error> submit(protocol::publish m);
    // A message that is not a packet: counted and logged as the stream does for every source.
    void rejected(reject_reason reason, std::string_view detail);

  private:
    friend class publish_source;
    explicit claim(publish_source& s) : source_(&s) {}
    publish_source* source_;
  };

  protocol::stream_info describe() const override { return {"publish", 0, std::nullopt}; }
  void start(packet_sink& out) override;
  void stop() override;

  // Empty while another connection holds the source.
  std::optional<claim> try_claim();

private:
  std::optional<protocol::publish_error> submit(protocol::publish m);
  void on_published(const std::string& producer, std::uint64_t pseq, std::uint64_t seq);
  void push(protocol::publish m, std::uint64_t skipped);

  // This mutex synchronizes all access to the members below. push() and
  // lost() are called under it, which keeps the stream's order the ledger's.
  std::mutex mutex_;
  packet_sink* out_ = nullptr;  // set by start(), cleared by stop()
  producer_ledger ledger_;
  bool claimed_ = false;
  ack_fn ack_;                  // the claiming connection's
};

}  // namespace arraycast
