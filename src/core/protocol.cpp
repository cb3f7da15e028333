#include "core/protocol.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "core/exact_json.hpp"
#include "core/values.hpp"

namespace arraycast::protocol {

namespace json = boost::json;

namespace {

// Decoding helpers: each returns nullopt when the field is absent or mistyped.
std::optional<std::uint64_t> get_uint(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (v->is_uint64()) return v->get_uint64();
  if (v->is_int64() && v->get_int64() >= 0) return static_cast<std::uint64_t>(v->get_int64());
  return std::nullopt;
}

std::optional<std::int64_t> as_int(const json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(v.get_uint64());
  return std::nullopt;
}

std::optional<std::int64_t> get_int(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return std::nullopt;
  return as_int(*v);
}

std::optional<std::string> get_string(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return std::string(v->get_string());
}

decode_error bad(std::string message) { return {"bad_message", std::move(message)}; }

// Parses `text` into an object with a string "type", or explains why not.
std::variant<decode_error, json::object> parse_object(std::string_view text) {
  boost::system::error_code ec;
  json::value v = parse_json(text, ec);
  if (ec) return decode_error{"bad_json", "not valid JSON: " + ec.message()};
  if (!v.is_object()) return decode_error{"bad_json", "a message must be a JSON object"};
  auto& o = v.as_object();
  const auto* type = o.if_contains("type");
  if (type == nullptr || !type->is_string()) return bad("missing string field \"type\"");
  return std::move(o);
}

// Absent means json, so hellos from clients that predate the field still work.
std::optional<encoding> get_encoding(const json::object& o) {
  const auto* v = o.if_contains("encoding");
  if (v == nullptr) return encoding::json;
  if (!v->is_string()) return std::nullopt;
  return parse_encoding(v->get_string());
}

std::variant<decode_error, hello> decode_hello(const json::object& o) {
  auto name = get_string(o, "name");
  if (!name || !is_valid_name(*name))
    return bad("hello needs a \"name\" string of 1 to 64 bytes (UTF-8) without control characters");
  const auto enc = get_encoding(o);
  if (!enc) return bad("hello \"encoding\" must be \"json\" or \"binary\"");
  hello h{std::move(*name), get_uint(o, "epoch"), get_uint(o, "last_seq"), *enc};
  if (h.epoch.has_value() != h.last_seq.has_value())
    return bad("hello needs both \"epoch\" and \"last_seq\", or neither");
  return h;
}

server_message decode_packet(const json::object& o) {
  auto seq = get_uint(o, "seq");
  auto ts = get_int(o, "ts");
  if (!seq || *seq == 0 || !ts) return bad("packet needs \"seq\" >= 1 and an integer \"ts\"");
  const auto* arrays = o.if_contains("arrays");
  if (arrays == nullptr) return bad("packet needs \"arrays\"");
  auto values = arrays_from_json(*arrays);
  if (auto* why = std::get_if<std::string>(&values)) return bad("packet: " + *why);
  return packet{*seq, *ts, std::move(std::get<std::vector<array_t>>(values))};
}

stream_info read_stream_info(const json::object& o) {
  stream_info s;
  s.source = get_string(o, "source").value_or("random");  // servers before sources were random
  s.interval_us = get_int(o, "interval_us").value_or(0);
  if (o.contains("arrays"))
    s.shape = random_shape{get_uint(o, "arrays").value_or(0), get_uint(o, "length").value_or(0),
                           get_int(o, "min").value_or(0), get_int(o, "max").value_or(0)};
  return s;
}

void write_stream_info(json::object& o, const stream_info& s) {
  o["source"] = s.source;
  o["interval_us"] = s.interval_us;
  if (const auto& shape = s.shape) {
    o["arrays"] = shape->arrays;
    o["length"] = shape->length;
    o["min"] = shape->min;
    o["max"] = shape->max;
  }
}

server_message decode_welcome(const json::object& o) {
  welcome w;
  auto epoch = get_uint(o, "epoch");
  if (!epoch) return bad("welcome needs an integer \"epoch\"");
  w.epoch = *epoch;
  w.head = get_uint(o, "head").value_or(0);
  w.history = get_uint(o, "history").value_or(0);
  w.stream = read_stream_info(o);
  const auto* subscribed = o.if_contains("subscribed");
  w.subscribed = subscribed != nullptr && subscribed->is_bool() && subscribed->get_bool();
  return w;
}

server_message decode_gap(const json::object& o) {
  auto from = get_uint(o, "from");
  const auto* to = o.if_contains("to");
  if (!from || to == nullptr) return bad("gap needs \"from\" and \"to\"");
  gap g{*from, get_uint(o, "to"), get_string(o, "reason").value_or("")};
  if (!to->is_null() && !g.to) return bad("gap \"to\" must be an integer or null");
  return g;
}

publish_error refusal(decode_error e, std::optional<std::uint64_t> pseq = std::nullopt) {
  return publish_error{std::move(e.code), std::move(e.message), pseq};
}

// arrays_from_json says why in words; a producer's error code and the
// rejection metric need the kind: shape, size or value.
decode_error bad_arrays(std::string why) {
  if (why.starts_with("\"arrays\" must")) return bad("publish: " + why);
  if (why.starts_with("more than")) return {"too_many_values", "publish: " + why};
  return {"bad_value", "publish: " + why};
}

producer_message decode_publish(const json::object& o) {
  auto producer = get_string(o, "producer");
  if (!producer || !is_valid_name(*producer))
    return refusal(bad("publish needs a \"producer\" string of 1 to 64 bytes (UTF-8) without control characters"));
  const auto pseq = get_uint(o, "pseq");
  if (!pseq || *pseq == 0) return refusal(bad("publish needs an integer \"pseq\" >= 1"));
  const auto about = [&](decode_error e) { return refusal(std::move(e), pseq); };
  const auto* ts = o.if_contains("ts");
  if (ts != nullptr && !as_int(*ts)) return about(bad("publish \"ts\" must be an integer (µs since the Unix epoch)"));
  const auto* arrays = o.if_contains("arrays");
  if (arrays == nullptr) return about(bad("publish needs \"arrays\""));
  auto values = arrays_from_json(*arrays);
  if (auto* why = std::get_if<std::string>(&values)) return about(bad_arrays(std::move(*why)));
  return publish{std::move(*producer), *pseq, std::move(std::get<std::vector<array_t>>(values)),
                 ts != nullptr ? as_int(*ts) : std::nullopt};
}

publish_reply decode_published(const json::object& o) {
  auto pseq = get_uint(o, "pseq");
  auto seq = get_uint(o, "seq");
  if (!pseq || !seq) return bad("published needs integers \"pseq\" and \"seq\"");
  return published{*pseq, *seq};
}

publish_error decode_publish_error(const json::object& o) {
  return publish_error{get_string(o, "code").value_or(""), get_string(o, "message").value_or(""), get_uint(o, "pseq")};
}

}  // namespace

std::optional<encoding> parse_encoding(std::string_view name) {
  if (name == "json") return encoding::json;
  if (name == "binary") return encoding::binary;
  return std::nullopt;
}

std::string_view encoding_name(encoding e) { return e == encoding::binary ? "binary" : "json"; }

bool is_valid_name(std::string_view name) {
  return !name.empty() && name.size() <= max_name_length &&
         std::none_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

std::string encode(const welcome& m) {
  json::object o{{"type", "welcome"}, {"epoch", m.epoch}, {"head", m.head}, {"history", m.history}};
  write_stream_info(o, m.stream);
  if (m.subscribed) o["subscribed"] = true;
  return json::serialize(o);
}

std::string encode(const stream_info& m) {
  json::object o;
  write_stream_info(o, m);
  return json::serialize(o);
}

std::optional<stream_info> decode_stream_info(std::string_view text) {
  boost::system::error_code ec;
  const auto v = parse_json(text, ec);
  if (ec || !v.is_object() || !v.as_object().contains("source")) return std::nullopt;
  return read_stream_info(v.as_object());
}

std::string encode(const packet& m) {
  return json::serialize(json::object{
      {"type", "packet"}, {"seq", m.seq}, {"ts", m.ts}, {"arrays", arrays_to_json(m.arrays)}});
}

std::string encode(const gap& m) {
  json::value to = m.to ? json::value(*m.to) : json::value(nullptr);
  return json::serialize(json::object{
      {"type", "gap"}, {"from", m.from}, {"to", std::move(to)}, {"reason", m.reason}});
}

std::string encode(const error& m) {
  return json::serialize(json::object{{"type", "error"}, {"code", m.code}, {"message", m.message}});
}

std::string encode(const hello& m) {
  json::object o{{"type", "hello"}, {"name", m.name}};
  if (m.epoch && m.last_seq) {
    o["epoch"] = *m.epoch;
    o["last_seq"] = *m.last_seq;
  }
  // Only when it differs from the default, so a json hello is what it always was.
  if (m.enc != encoding::json) o["encoding"] = encoding_name(m.enc);
  return json::serialize(o);
}

std::string encode(const ack& m) {
  return json::serialize(json::object{{"type", "ack"}, {"seq", m.seq}});
}

std::string encode(const publish& m) {
  json::object o{{"type", "publish"}, {"producer", m.producer}, {"pseq", m.pseq}, {"arrays", arrays_to_json(m.arrays)}};
  if (m.ts) o["ts"] = *m.ts;
  return json::serialize(o);
}

std::string encode(const published& m) {
  return json::serialize(json::object{{"type", "published"}, {"pseq", m.pseq}, {"seq", m.seq}});
}

std::string encode(const publish_error& m) {
  json::object o{{"type", "error"}, {"code", m.code}, {"message", m.message}};
  if (m.pseq) o["pseq"] = *m.pseq;
  return json::serialize(o);
}

client_message decode_client(std::string_view text) {
  auto parsed = parse_object(text);
  if (auto* e = std::get_if<decode_error>(&parsed)) return std::move(*e);
  const auto& o = std::get<json::object>(parsed);
  const auto type = o.at("type").get_string();
  if (type == "ack") {
    auto seq = get_uint(o, "seq");
    if (!seq) return bad("ack needs a non-negative integer \"seq\"");
    return ack{*seq};
  }
  if (type == "hello") {
    auto h = decode_hello(o);
    if (auto* e = std::get_if<decode_error>(&h)) return std::move(*e);
    return std::get<hello>(std::move(h));
  }
  return decode_error{"unknown_type", "unknown message type \"" + std::string(type) + "\""};
}

server_message decode_server(std::string_view text) {
  auto parsed = parse_object(text);
  if (auto* e = std::get_if<decode_error>(&parsed)) return std::move(*e);
  const auto& o = std::get<json::object>(parsed);
  const auto type = o.at("type").get_string();
  if (type == "packet") return decode_packet(o);
  if (type == "welcome") return decode_welcome(o);
  if (type == "gap") return decode_gap(o);
  if (type == "error")
    return error{get_string(o, "code").value_or(""), get_string(o, "message").value_or("")};
  return decode_error{"unknown_type", "unknown message type \"" + std::string(type) + "\""};
}

producer_message decode_producer(std::string_view text) {
  auto parsed = parse_object(text);
  if (auto* e = std::get_if<decode_error>(&parsed)) return refusal(std::move(*e));
  const auto& o = std::get<json::object>(parsed);
  const auto type = o.at("type").get_string();
  if (type == "publish") return decode_publish(o);
  return publish_error{"unknown_type", "unknown message type \"" + std::string(type) + "\" (a producer sends publish)",
                       std::nullopt};
}

publish_reply decode_publish_reply(std::string_view text) {
  auto parsed = parse_object(text);
  if (auto* e = std::get_if<decode_error>(&parsed)) return std::move(*e);
  const auto& o = std::get<json::object>(parsed);
  const auto type = o.at("type").get_string();
  if (type == "published") return decode_published(o);
  if (type == "error") return decode_publish_error(o);
  return decode_error{"unknown_type", "unknown message type \"" + std::string(type) + "\""};
}

}  // namespace arraycast::protocol
