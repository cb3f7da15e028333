#include "backplane/nats_link.hpp"

#include <stdexcept>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace arraycast {

namespace {

// How long a request to the broker may take, and how often a lost
// connection is retried: a broker restart is noticed within a second.
constexpr std::int64_t request_timeout_ms = 2000;
constexpr std::int64_t reconnect_wait_ms = 250;
constexpr auto start_retry = std::chrono::milliseconds(500);

struct options_ptr {
  natsOptions* p = nullptr;
  ~options_ptr() { natsOptions_Destroy(p); }
};

void check(natsStatus s, const char* what, jsErrCode js = static_cast<jsErrCode>(0)) {
  if (s != NATS_OK) throw std::runtime_error(fmt::format("{}: {}", what, nats_error(s, js)));
}

}  // namespace

std::string nats_error(natsStatus s, jsErrCode js) {
  natsStatus last = NATS_OK;
  const char* detail = nats_GetLastError(&last);
  std::string text = natsStatus_GetText(s);
  if (js != 0) text += fmt::format(" (JetStream error {})", static_cast<int>(js));
  if (detail != nullptr && *detail != '\0' && text.find(detail) == std::string::npos) text += fmt::format(": {}", detail);
  return text;
}

nats_link::nats_link(const broker_config& cfg) : cfg_(cfg) {
  options_ptr opts;
  check(natsOptions_Create(&opts.p), "nats options");
  // Several URLs (a NATS cluster): the library tries them in turn, and
  // reconnects to whichever answers.
  const auto urls = cfg_.urls();
  std::vector<const char*> servers;
  for (const auto& u : urls) servers.push_back(u.c_str());
  check(natsOptions_SetServers(opts.p, servers.data(), static_cast<int>(servers.size())), "broker URL");
  natsOptions_SetTimeout(opts.p, request_timeout_ms);
  natsOptions_SetMaxReconnect(opts.p, -1);
  natsOptions_SetReconnectWait(opts.p, reconnect_wait_ms);
  natsOptions_SetDisconnectedCB(opts.p, &nats_link::disconnected, this);
  natsOptions_SetReconnectedCB(opts.p, &nats_link::reconnected, this);
  auto s = try_connect(opts.p);
  while (s != NATS_OK && cfg_.wait) {
    spdlog::warn("cannot reach the broker at {} ({}); retrying (--broker-wait)", cfg_.url, nats_error(s));
    std::this_thread::sleep_for(start_retry);
    s = try_connect(opts.p);
  }
  if (s != NATS_OK)
    throw std::runtime_error(fmt::format("cannot reach the broker at {}: {} (start it first, or pass --broker-wait)",
                                         cfg_.url, nats_error(s)));
  jsOptions jo;
  jsOptions_Init(&jo);
  jo.Wait = request_timeout_ms;
  check(natsConnection_JetStream(&js_, nc_, &jo), "JetStream context");
  connected_ = true;
}

natsStatus nats_link::try_connect(natsOptions* opts) { return natsConnection_Connect(&nc_, opts); }

nats_link::~nats_link() {
  jsCtx_Destroy(js_);
  natsConnection_Destroy(nc_);
}

stream_facts nats_link::join_stream() {
  jsStreamInfo* si = nullptr;
  jsErrCode jerr = static_cast<jsErrCode>(0);
  auto s = js_GetStreamInfo(&si, js_, cfg_.stream.c_str(), nullptr, &jerr);
  if (s == NATS_NOT_FOUND || jerr == JSStreamNotFoundErr) {
    jsStreamConfig sc;
    jsStreamConfig_Init(&sc);
    const auto subject = cfg_.subject();
    const char* subjects[] = {subject.c_str()};
    sc.Name = cfg_.stream.c_str();
    sc.Subjects = subjects;
    sc.SubjectsLen = 1;
    sc.Storage = js_FileStorage;  // a broker restart keeps the stream
    sc.MaxMsgs = cfg_.retain;
    sc.MaxAge = std::chrono::duration_cast<std::chrono::nanoseconds>(cfg_.retain_for).count();
    jerr = static_cast<jsErrCode>(0);
    s = js_AddStream(&si, js_, &sc, nullptr, &jerr);
    if (s == NATS_OK) spdlog::info("created stream {} on {} (subject {})", cfg_.stream, cfg_.url, subject);
    else if (jerr == JSStreamNameExistErr) s = js_GetStreamInfo(&si, js_, cfg_.stream.c_str(), nullptr, &jerr);  // a node raced us
  }
  check(s, ("stream " + cfg_.stream).c_str(), jerr);
  const stream_facts facts{static_cast<std::uint64_t>(si->Created / 1000), si->State.LastSeq};
  jsStreamInfo_Destroy(si);
  return facts;
}

std::uint64_t nats_link::last_seq() {
  jsStreamInfo* si = nullptr;
  jsErrCode jerr = static_cast<jsErrCode>(0);
  check(js_GetStreamInfo(&si, js_, cfg_.stream.c_str(), nullptr, &jerr), "stream info", jerr);
  const auto seq = si->State.LastSeq;
  jsStreamInfo_Destroy(si);
  return seq;
}

void nats_link::disconnected(natsConnection*, void* self) { static_cast<nats_link*>(self)->set_state(false); }

void nats_link::reconnected(natsConnection*, void* self) {
  auto* link = static_cast<nats_link*>(self);
  ++link->reconnections_;
  link->set_state(true);
}

void nats_link::set_state(bool up) {
  if (connected_.exchange(up) == up) return;
  if (up) spdlog::info("broker {} is back", cfg_.url);
  else spdlog::warn("lost the broker {}; clients stay connected, and the node catches up when it is back", cfg_.url);
  const std::scoped_lock lock(mutex_);
  if (on_state_) on_state_(up);
}

}  // namespace arraycast
