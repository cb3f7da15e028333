#include "server/broker_producer.hpp"

#include <unistd.h>

#include <random>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "backplane/stream_reader.hpp"
#include "core/clock.hpp"

namespace arraycast {

namespace {

std::string node_id() {
  std::random_device rd;
  return fmt::format("{}-{:08x}{:08x}", ::getpid(), rd(), rd());
}

// One message, owned until it is sent.
struct message_ptr {
  natsMsg* p = nullptr;
  ~message_ptr() { natsMsg_Destroy(p); }
};

}  // namespace

broker_producer::broker_producer(nats_link& link, net::io_context& ioc, server_metrics& metrics,
                                 protocol::stream_info info)
    : link_(link),
      ioc_(ioc),
      metrics_(metrics),
      rejections_(metrics),
      info_(protocol::encode(info)),
      id_(node_id()),
      publisher_([this](std::stop_token stop) { run(stop); }) {}

broker_producer::~broker_producer() {
  publisher_.request_stop();
  wake_.notify_all();
}

void broker_producer::activate(std::uint64_t last_seq) {
  {
    const std::scoped_lock lock(mutex_);
    last_seq_ = last_seq;
  }
  active_ = true;
  metrics_.broker.producing = true;
  spdlog::info("producing stream {} from seq {}", link_.config().stream, last_seq + 1);
  wake_.notify_all();
}

void broker_producer::push(source_packet p) { enqueue(entry{std::move(p), 0, {}}); }

void broker_producer::lost(std::uint64_t count, std::string reason) {
  if (count == 0) return;
  server_metrics::bump(metrics_.source_lost, count);
  enqueue(entry{{}, count, std::move(reason)});
}

// A standby's packets are not the stream's; a full backlog's become a loss.
void broker_producer::enqueue(entry e) {
  if (!active_) return server_metrics::bump(metrics_.broker.dropped, e.lost > 0 ? 0 : 1);
  {
    const std::scoped_lock lock(mutex_);
    if (backlog_.size() >= max_backlog) {
      lost_ += e.lost > 0 ? e.lost : 1;
      return server_metrics::bump(metrics_.broker.dropped);
    }
    if (lost_ > 0) {
      backlog_.push_back(entry{{}, lost_, "the broker could not take them fast enough"});
      lost_ = 0;
    }
    backlog_.push_back(std::move(e));
  }
  wake_.notify_one();
}

void broker_producer::rejected(reject_reason reason, std::string_view detail) { rejections_.record(reason, detail); }

void broker_producer::ended() {
  if (metrics_.source_ended.exchange(true)) return;
  spdlog::info("source ended; the stream keeps what it has");
}

void broker_producer::when_ready(std::function<void()> next) {
  {
    const std::scoped_lock lock(mutex_);
    if (!active_ || backlog_.size() >= window) {
      waiter_ = std::move(next);
      return;
    }
  }
  net::post(ioc_, std::move(next));
}

void broker_producer::release_waiter() {
  std::function<void()> next;
  {
    const std::scoped_lock lock(mutex_);
    if (!waiter_ || !active_ || backlog_.size() >= window) return;
    next = std::move(waiter_);
    waiter_ = nullptr;
  }
  net::post(ioc_, std::move(next));
}

void broker_producer::run(std::stop_token stop) {
  auto next_beat = std::chrono::steady_clock::now();
  while (!stop.stop_requested()) {
    if (const auto now = std::chrono::steady_clock::now(); now >= next_beat) {
      if (active_) beat();
      next_beat = now + broker_config::heartbeat;
    }
    {
      std::unique_lock lock(mutex_);
      wake_.wait_until(lock, stop, next_beat, [this] { return active_ && !backlog_.empty(); });
    }
    if (!stop.stop_requested() && active_) publish_front(stop);
    release_waiter();
  }
}

// Sends the oldest message until the broker has it, another producer has
// the seq, or the node stops.
void broker_producer::publish_front(std::stop_token stop) {
  entry* e = nullptr;
  std::uint64_t seq = 0;
  {
    const std::scoped_lock lock(mutex_);
    if (backlog_.empty()) return;
    e = &backlog_.front();  // only this thread pops: the reference stays valid
    seq = last_seq_ + 1;
  }
  const auto msg_id = fmt::format("{}-{}", id_, ++messages_);
  std::string why;
  std::uint64_t tries = 0;
  for (auto r = put(*e, seq, msg_id, why); !stop.stop_requested(); r = put(*e, seq, msg_id, why)) {
    if (r == outcome::taken) return step_down(seq);
    if (r == outcome::stored) break;
    if (++tries == 1) spdlog::warn("the broker did not take packet {} ({}); retrying until it does", seq, why);
    std::this_thread::sleep_for(retry_after);
  }
  if (stop.stop_requested()) return;
  if (tries > 0) spdlog::info("the broker took packet {} after {} retries", seq, tries);
  auto done = std::move(e->p.on_published);
  {
    const std::scoped_lock lock(mutex_);
    last_seq_ = seq;
    backlog_.pop_front();
  }
  server_metrics::bump(metrics_.broker.published);
  if (done) done(seq);
}

broker_producer::outcome broker_producer::put(const entry& e, std::uint64_t seq, const std::string& msg_id,
                                              std::string& why) {
  const auto payload =
      e.lost > 0 ? protocol::encode(protocol::gap{seq, seq, fmt::format("the source lost {} packets: {}", e.lost, e.reason)})
                 : protocol::encode(packet{seq, e.p.ts.value_or(now_us()), e.p.arrays});
  message_ptr msg;
  const auto subject = link_.config().subject();
  natsMsg_Create(&msg.p, subject.c_str(), nullptr, payload.data(), static_cast<int>(payload.size()));
  natsMsgHeader_Set(msg.p, stream_reader::info_header, info_.c_str());
  jsPubOptions po;
  jsPubOptions_Init(&po);
  po.MsgId = msg_id.c_str();
  po.ExpectLastSeq = seq - 1;  // 0 (an empty stream) sets no expectation
  jsPubAck* ack = nullptr;
  jsErrCode jerr = static_cast<jsErrCode>(0);
  const auto s = js_PublishMsg(&ack, link_.js(), msg.p, &po, &jerr);
  const auto stored_as = ack != nullptr ? ack->Sequence : 0;
  jsPubAck_Destroy(ack);
  if (s == NATS_OK && stored_as == seq) return outcome::stored;
  if (jerr == JSStreamWrongLastSequenceErr || s == NATS_OK) return outcome::taken;
  why = nats_error(s, jerr);
  return outcome::failed;
}

// Another producer holds the stream: this node's backlog is not the stream's.
void broker_producer::step_down(std::uint64_t seq) {
  active_ = false;
  metrics_.broker.producing = false;
  std::size_t dropped = 0;
  {
    const std::scoped_lock lock(mutex_);
    dropped = backlog_.size();
    backlog_.clear();
    lost_ = 0;
  }
  server_metrics::bump(metrics_.broker.dropped, dropped);
  spdlog::warn("another node produces stream {} now (seq {} is taken); this node stands by, {} packets dropped",
               link_.config().stream, seq, dropped);
}

void broker_producer::beat() {
  const auto subject = link_.config().alive_subject();
  natsConnection_PublishString(link_.connection(), subject.c_str(), id_.c_str());
}

}  // namespace arraycast
