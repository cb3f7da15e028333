#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "server/address_limits.hpp"
#include "server/metrics.hpp"
#include "util/net.hpp"

namespace arraycast {

class connection_registry;

// One accepted TCP connection's place in the registry, from accept until its
// socket is gone. Whoever owns the socket owns the slot: http_session, then
// the ws_session or echo_session it hands the socket to. Moving the slot hands
// the place over; destroying it frees the place.
class connection_slot {
public:
  connection_slot(connection_slot&& other) noexcept;
  connection_slot& operator=(connection_slot&&) = delete;
  connection_slot(const connection_slot&) = delete;
  connection_slot& operator=(const connection_slot&) = delete;
  ~connection_slot();

  // What shutdown does to this connection, run on `loop` (the connection's
  // own); replaces the previous owner's. Empty: the owner is closed by other
  // means (the hub closes stream sessions), and the grace period bounds it.
  void on_stop(net::any_io_executor loop, std::function<void()> stop);
  // The connection's place in its address's count, given back with the slot.
  void hold(address_limits::claim c) { address_ = std::move(c); }

private:
  friend class connection_registry;
  connection_slot(connection_registry& registry, std::uint64_t id) : registry_(&registry), id_(id) {}

  connection_registry* registry_;  // null once moved from
  std::uint64_t id_;
  address_limits::claim address_;  // empty until the connection is a WebSocket client; the owner's loop only
};

// Every connection the server holds, whatever it speaks (plain HTTP, a
// WebSocket handshake, the stream, /echo), so that one limit bounds the
// descriptors they hold and shutdown reaches every one of them.
// Thread-safe: slots are opened on the listener's loop and freed on each
// connection's own.
class connection_registry {
public:
  connection_registry(std::size_t limit, server_metrics& metrics);

  // A place for a new connection; none over the limit or once stopping, and
  // the caller closes the socket (counted in metrics as refused).
  std::optional<connection_slot> try_open();
  // Refuses new connections from now on and runs every open connection's
  // stop action on its loop.
  void stop_all();
  std::size_t open() const;

private:
  friend class connection_slot;
  struct entry {
    net::any_io_executor loop;
    std::function<void()> stop;
  };
  void set_stop(std::uint64_t id, net::any_io_executor loop, std::function<void()> stop);
  void close(std::uint64_t id);

  const std::size_t limit_;
  server_metrics& metrics_;  // the hub's; atomics, any thread

  // This mutex synchronizes all access to entries_, next_id_ and stopping_.
  mutable std::mutex mutex_;
  std::unordered_map<std::uint64_t, entry> entries_;
  std::uint64_t next_id_ = 0;
  bool stopping_ = false;
};

}  // namespace arraycast
