#include "source/publish_source.hpp"

#include <fmt/format.h>

namespace arraycast {

publish_source::claim::~claim() {
  if (source_ == nullptr) return;
  const std::scoped_lock lock(source_->mutex_);
  source_->claimed_ = false;
  source_->ack_ = nullptr;
}

void publish_source::claim::on_ack(ack_fn f) {
  const std::scoped_lock lock(source_->mutex_);
  source_->ack_ = std::move(f);
}

std::optional<protocol::publish_error> publish_source::claim::submit(protocol::publish m) {
  return source_->submit(std::move(m));
}

void publish_source::claim::rejected(reject_reason reason, std::string_view detail) {
  const std::scoped_lock lock(source_->mutex_);
  if (source_->out_ != nullptr) source_->out_->rejected(reason, detail);
}

void publish_source::start(packet_sink& out) {
  const std::scoped_lock lock(mutex_);
  out_ = &out;
}

void publish_source::stop() {
  const std::scoped_lock lock(mutex_);
  out_ = nullptr;
}

std::optional<publish_source::claim> publish_source::try_claim() {
  const std::scoped_lock lock(mutex_);
  if (claimed_) return std::nullopt;
  claimed_ = true;
  return claim(*this);
}

std::optional<protocol::publish_error> publish_source::submit(protocol::publish m) {
  ack_fn ack;
  producer_ledger::verdict v;
  {
    const std::scoped_lock lock(mutex_);
    if (out_ == nullptr) return protocol::publish_error{"unavailable", "the server is shutting down", m.pseq};
    v = ledger_.accept(m.producer, m.pseq);
    if (v.what == producer_ledger::kind::fresh) {
      push(std::move(m), v.skipped);
      return std::nullopt;
    }
    ack = ack_;
  }
  switch (v.what) {
    case producer_ledger::kind::published:
      if (ack) ack(m.producer, m.pseq, v.seq);  // outside the lock: the session's post may allocate
      return std::nullopt;
    case producer_ledger::kind::pending:
      return std::nullopt;  // on_published acks it
    default:
      return protocol::publish_error{"too_old",
                             fmt::format("pseq {} cannot be acknowledged again: it is older than the last {} the "
                                         "server remembers of producer {}, or one the producer skipped; not streamed",
                                         m.pseq, producer_ledger::default_window, m.producer),
                             m.pseq};
  }
}

// Under mutex_. The seqs of the packets the producer never sent are used up
// by a gap, so that recorders see the hole where it is.
void publish_source::push(protocol::publish m, std::uint64_t skipped) {
  if (skipped > 0)
    out_->lost(skipped, fmt::format("producer {} skipped {} packets (pseq {} to {})", m.producer, skipped,
                                    m.pseq - skipped, m.pseq - 1));
  auto acked = [this, producer = std::move(m.producer), pseq = m.pseq](std::uint64_t seq) {
    on_published(producer, pseq, seq);
  };
  out_->push(source_packet{std::move(m.arrays), m.ts, std::move(acked)});
}

void publish_source::on_published(const std::string& producer, std::uint64_t pseq, std::uint64_t seq) {
  ack_fn ack;
  {
    const std::scoped_lock lock(mutex_);
    ledger_.published(producer, pseq, seq);
    ack = ack_;
  }
  if (ack) ack(producer, pseq, seq);
}

}  // namespace arraycast
