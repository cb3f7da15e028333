#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/packet.hpp"

// The wire protocol, as pure functions from messages to JSON text and back.
// No sockets here: this is what the unit tests and the fuzzer exercise.
// docs/PROTOCOL.md is the human-readable form of this file.
namespace arraycast::protocol {

// The random source's shape, which only it can promise: every packet has
// `arrays` x `length` integers in [min, max].
struct random_shape {
  std::size_t arrays = 0;
  std::size_t length = 0;
  std::int64_t min = 0;
  std::int64_t max = 0;
  friend bool operator==(const random_shape&, const random_shape&) = default;
};

// What any source can say about the stream it feeds.
struct stream_info {
  std::string source;            // its kind: random, stdin, exec, udp, serial, replay, publish
  std::int64_t interval_us = 0;  // its period when it has one; 0: packets come when they come
  std::optional<random_shape> shape;
  friend bool operator==(const stream_info&, const stream_info&) = default;
};

// Server -> client, first message on every connection.
struct welcome {
  std::uint64_t epoch = 0;     // identifies this run of the stream; seq restarts with it
  std::uint64_t head = 0;      // seq of the newest packet generated so far (0: none yet)
  std::size_t history = 0;     // how many packets the server keeps for replay
  stream_info stream;
  bool subscribed = false;     // the URL held this client's hello: it must send none (see hello_query)
  friend bool operator==(const welcome&, const welcome&) = default;
};

// Server -> client: packets [from, to] will never arrive. `to` is empty when
// the client's epoch is over (server restarted): everything after `from` in it is lost.
struct gap {
  std::uint64_t from = 0;
  std::optional<std::uint64_t> to;
  std::string reason;
  friend bool operator==(const gap&, const gap&) = default;
};

// Server -> client: the last client message was rejected; the connection stays open.
struct error {
  std::string code;     // bad_json, bad_message, unknown_type
  std::string message;
  friend bool operator==(const error&, const error&) = default;
};

// How a client wants its packets: JSON text (the default), or the compact
// binary layout of encode_binary(). Control messages are JSON either way.
enum class encoding { json, binary };

std::optional<encoding> parse_encoding(std::string_view name);
std::string_view encoding_name(encoding e);

// Client -> server: who I am, and (when resuming) the last packet I recorded.
struct hello {
  std::string name;
  std::optional<std::uint64_t> epoch;
  std::optional<std::uint64_t> last_seq;
  encoding enc = encoding::json;  // last, with a default: older aggregate inits stay valid
  friend bool operator==(const hello&, const hello&) = default;
};

// Client -> server: packet `seq` is recorded.
struct ack {
  std::uint64_t seq = 0;
  friend bool operator==(const ack&, const ack&) = default;
};

struct decode_error {
  std::string code;     // matches error::code, so the server can answer with it
  std::string message;
};

// Producer -> server, on /publish: one packet. `pseq` is the producer's own
// number for it (1, 2, 3... in the order it read them), which makes a resend
// recognisable; `producer` names one run of the producer, so a restarted
// producer, whose pseqs start over, must take a new one.
struct publish {
  std::string producer;
  std::uint64_t pseq = 0;
  std::vector<array_t> arrays;
  std::optional<std::int64_t> ts;  // µs since the Unix epoch; absent: the server's time
  friend bool operator==(const publish&, const publish&) = default;
};

// Server -> producer: packet `pseq` is in the server's history as `seq`.
struct published {
  std::uint64_t pseq = 0;
  std::uint64_t seq = 0;
  friend bool operator==(const published&, const published&) = default;
};

// Server -> producer: a message that was not streamed, and why. An `error`
// on the wire, with the pseq it answers when the message could be read that far.
struct publish_error {
  std::string code;  // bad_json, bad_message, unknown_type, bad_value, too_many_values,
                     // unsupported, wrong_producer, too_old, unavailable
  std::string message;
  std::optional<std::uint64_t> pseq;
  friend bool operator==(const publish_error&, const publish_error&) = default;
};

using client_message = std::variant<decode_error, hello, ack>;
using producer_message = std::variant<publish_error, publish>;
using publish_reply = std::variant<decode_error, published, publish_error>;
using server_message = std::variant<decode_error, welcome, packet, gap, error>;

inline constexpr std::size_t max_name_length = 64;
// 1 to max_name_length bytes, no control characters: a name goes into log
// lines and metric labels as it is, and must not forge either.
bool is_valid_name(std::string_view name);

std::string encode(const welcome& m);
std::string encode(const packet& m);
std::string encode(const gap& m);
std::string encode(const error& m);
std::string encode(const hello& m);
std::string encode(const ack& m);
std::string encode(const publish& m);
std::string encode(const published& m);
std::string encode(const publish_error& m);
// The welcome's stream fields alone, as a node tells the other nodes of a
// broker's stream what it produces.
std::string encode(const stream_info& m);
std::optional<stream_info> decode_stream_info(std::string_view text);

client_message decode_client(std::string_view text);
server_message decode_server(std::string_view text);
// What a /publish session reads; a publish_error's code is then one of
// bad_json, bad_message, unknown_type, bad_value, too_many_values.
producer_message decode_producer(std::string_view text);
// What a producer reads back.
publish_reply decode_publish_reply(std::string_view text);

}  // namespace arraycast::protocol
