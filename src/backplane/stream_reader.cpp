#include "backplane/stream_reader.hpp"

namespace arraycast {

std::optional<std::string> stream_reader::open(std::uint64_t seq) {
  close();
  jsSubOptions so;
  jsSubOptions_Init(&so);
  so.Ordered = true;
  so.Config.DeliverPolicy = js_DeliverByStartSequence;
  so.Config.OptStartSeq = seq;
  jsErrCode jerr = static_cast<jsErrCode>(0);
  const auto subject = link_.config().subject();
  const auto s = js_SubscribeSync(&sub_, link_.js(), subject.c_str(), nullptr, &so, &jerr);
  if (s == NATS_OK) {
    // An ordered consumer delivers as fast as it can: a node catching up
    // holds at most this much before the library pushes back.
    natsSubscription_SetPendingLimits(sub_, -1, 256 * 1024 * 1024);
    return std::nullopt;
  }
  sub_ = nullptr;
  return nats_error(s, jerr);
}

// Destroy alone, not Unsubscribe first: Unsubscribe also deletes the
// ephemeral consumer, reading its name after unlocking it, while libnats
// 3.4's own thread may be recreating that consumer after a reconnect and
// freeing the name (a use-after-free ASan caught in e2e.cluster). Destroy
// unsubscribes without the delete; the server drops an ephemeral consumer
// nobody listens to by itself.
void stream_reader::close() {
  if (sub_ == nullptr) return;
  natsSubscription_Destroy(sub_);
  sub_ = nullptr;
}

std::variant<stream_message, stream_reader::timed_out, stream_reader::failed> stream_reader::next(
    std::chrono::milliseconds timeout) {
  natsMsg* msg = nullptr;
  const auto s = natsSubscription_NextMsg(&msg, sub_, timeout.count());
  if (s == NATS_TIMEOUT) return timed_out{};
  if (s != NATS_OK) return failed{nats_error(s)};
  jsMsgMetaData* meta = nullptr;
  if (natsMsg_GetMetaData(&meta, msg) != NATS_OK) {
    natsMsg_Destroy(msg);
    return failed{"a message without JetStream metadata"};
  }
  stream_message m{meta->Sequence.Stream, meta->NumPending,
                   std::string(natsMsg_GetData(msg), static_cast<std::size_t>(natsMsg_GetDataLength(msg))), {}};
  const char* info = nullptr;
  if (natsMsgHeader_Get(msg, info_header, &info) == NATS_OK && info != nullptr) m.info = info;
  jsMsgMetaData_Destroy(meta);
  natsMsg_Destroy(msg);
  return m;
}

}  // namespace arraycast
