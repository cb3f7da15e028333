#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

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

using client_message = std::variant<decode_error, hello, ack>;
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

client_message decode_client(std::string_view text);
server_message decode_server(std::string_view text);

}  // namespace arraycast::protocol
