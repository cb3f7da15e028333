#pragma once

#include <cstdint>
#include <memory>

#include "backplane/broker_archive.hpp"
#include "backplane/broker_config.hpp"
#include "backplane/broker_follower.hpp"
#include "server/broker_producer.hpp"
#include "backplane/nats_link.hpp"
#include "server/standby_watch.hpp"
#include "server/hub.hpp"
#include "source/packet_source.hpp"

namespace arraycast {

// What makes a `serve` process one node of a broker's stream: the link to
// NATS, the follower that feeds the hub from the stream and, on a node with
// a source, the producer and the watch that decides when it produces. The
// stream, not the node, gives epoch and seq: the node's own source never
// reaches its hub except through the broker.
class broker_node {
public:
  // Connects and joins the stream (creating it if it is the first node).
  // Throws std::runtime_error when the broker cannot be reached.
  explicit broker_node(const broker_config& cfg);
  ~broker_node() { stop(); }

  // The stream's epoch, the same on every node.
  std::uint64_t epoch() const { return facts_.epoch; }
  // Starts feeding `clients` (and counting in its metrics), warming its
  // history with up to `history` of the stream's newest packets, and serves
  // resumes from further back out of the stream. First.
  void follow(hub& clients, std::size_t history);
  // Makes `source` this node's contribution to the stream: at once, or, on
  // a standby, once the stream has no producer. The source is started on
  // `ioc` when this node first produces.
  void produce(packet_source& source, net::io_context& ioc, bool standby);
  // Stops every thread that could still reach the hub or the source; call
  // after the source has stopped.
  void stop();

private:
  server_metrics* metrics_ = nullptr;  // the hub's, from follow() on
  nats_link link_;
  stream_facts facts_;
  std::unique_ptr<broker_follower> follower_;
  std::unique_ptr<broker_archive> archive_;
  std::unique_ptr<broker_producer> producer_;
  std::unique_ptr<standby_watch> watch_;
};

}  // namespace arraycast
