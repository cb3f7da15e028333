#include "core/protocol.hpp"

#include <cstdint>
#include <limits>
#include <string>
#include <variant>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace arraycast {
namespace {

using namespace protocol;

// The decode_error a client message was rejected with; fails the test if it was accepted.
decode_error rejected(std::string_view text) {
  auto m = decode_client(text);
  EXPECT_TRUE(std::holds_alternative<decode_error>(m)) << "accepted: " << text;
  if (auto* e = std::get_if<decode_error>(&m)) return *e;
  return {};
}

template <class T>
T decoded_client(std::string_view text) {
  auto m = decode_client(text);
  if (auto* e = std::get_if<decode_error>(&m)) ADD_FAILURE() << text << ": " << e->code << " " << e->message;
  EXPECT_TRUE(std::holds_alternative<T>(m)) << text;
  if (auto* t = std::get_if<T>(&m)) return *t;
  return {};
}

template <class T>
T decoded_server(std::string_view text) {
  auto m = decode_server(text);
  if (auto* e = std::get_if<decode_error>(&m)) ADD_FAILURE() << text << ": " << e->code << " " << e->message;
  EXPECT_TRUE(std::holds_alternative<T>(m)) << text;
  if (auto* t = std::get_if<T>(&m)) return *t;
  return {};
}

// --- round trips of every message type -------------------------------------

TEST(protocol, hello_round_trips) {
  const hello h{"client1", std::nullopt, std::nullopt};
  EXPECT_EQ(decoded_client<hello>(encode(h)), h);
}

TEST(protocol, hello_with_resume_point_round_trips) {
  const hello h{"rec-2", 1764000000123456ULL, 42};
  EXPECT_EQ(decoded_client<hello>(encode(h)), h);
}

TEST(protocol, hello_name_with_escapes_round_trips) {
  const hello h{"a \"quoted\"\\ name \xc3\xa9", std::nullopt, std::nullopt};
  EXPECT_EQ(decoded_client<hello>(encode(h)), h);
}

// A name goes into the server's log lines: a newline in it would forge one.
TEST(protocol, hello_name_with_control_characters_is_rejected) {
  for (const char* name : {"a\\nb", "a\\rb", "tab\\there", "nul\\u0000", "esc\\u001b[31m", "del\\u007f"})
    EXPECT_EQ(rejected(std::string(R"({"type":"hello","name":")") + name + "\"}").code, "bad_message") << name;
}

TEST(protocol, ack_round_trips) {
  for (const std::uint64_t seq : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{42},
                                  std::numeric_limits<std::uint64_t>::max()})
    EXPECT_EQ(decoded_client<ack>(encode(ack{seq})).seq, seq);
}

TEST(protocol, packet_round_trips) {
  const packet p{42, 1764000000123456, {{58, 39, 38}, {-5, 0, std::numeric_limits<std::int64_t>::max()},
                                        {std::numeric_limits<std::int64_t>::min()}, {}}};
  EXPECT_EQ(decoded_server<packet>(encode(p)), p);
}

TEST(protocol, packet_of_doubles_and_ragged_arrays_round_trips_with_every_kind) {
  const packet p{43, 1764000000223456, {{2.5, -0.5, 2.0, -0.0}, {}, {1e300, 1, 5e-324}}};
  EXPECT_EQ(decoded_server<packet>(encode(p)), p);  // == compares kinds, and doubles bit for bit
}

TEST(protocol, empty_packet_round_trips) {
  const packet p{1, 0, {}};
  EXPECT_EQ(decoded_server<packet>(encode(p)), p);
}

TEST(protocol, welcome_round_trips) {
  const welcome w{7, 100, 600, {"random", 2'000'000, random_shape{5, 10, -3, 99}}};
  EXPECT_EQ(decoded_server<welcome>(encode(w)), w);
  const welcome live{8, 0, 600, {"stdin", 0, std::nullopt}};
  EXPECT_EQ(decoded_server<welcome>(encode(live)), live);
  const welcome greeted{8, 0, 600, {"stdin", 0, std::nullopt}, true};
  EXPECT_EQ(decoded_server<welcome>(encode(greeted)), greeted);
  EXPECT_EQ(encode(live).find("subscribed"), std::string::npos) << "absent unless the URL held the hello";
  EXPECT_EQ(encode(live).find("\"min\""), std::string::npos);  // no shape it cannot promise
}

TEST(protocol, gap_round_trips) {
  const gap bounded{11, 20, "history"};
  EXPECT_EQ(decoded_server<gap>(encode(bounded)), bounded);
  const gap open{11, std::nullopt, "new epoch"};
  EXPECT_EQ(decoded_server<gap>(encode(open)), open);
}

TEST(protocol, error_round_trips) {
  const error e{"bad_json", "not valid JSON: syntax error"};
  EXPECT_EQ(decoded_server<error>(encode(e)), e);
}

// --- exact wire shape -------------------------------------------------------

TEST(protocol, packet_encodes_to_the_documented_shape) {
  const packet p{42, 1764000000123456, {{58, 39, 38}, {1, 2, 3}}};
  EXPECT_EQ(encode(p), R"({"type":"packet","seq":42,"ts":1764000000123456,"arrays":[[58,39,38],[1,2,3]]})");
}

TEST(protocol, doubles_encode_with_an_exponent_even_when_whole) {
  const packet p{43, 1764000000223456, {{2.5}, {-0.5, 1e300, 2.0, 2}}};
  EXPECT_EQ(encode(p), R"({"type":"packet","seq":43,"ts":1764000000223456,"arrays":[[2.5E0],[-5E-1,1E300,2E0,2]]})");
}

TEST(protocol, hello_without_resume_point_has_no_epoch_fields) {
  EXPECT_EQ(encode(hello{"client1", std::nullopt, std::nullopt}), R"({"type":"hello","name":"client1"})");
  EXPECT_EQ(encode(hello{"c", 3, 9}), R"({"type":"hello","name":"c","epoch":3,"last_seq":9})");
}

TEST(protocol, ack_and_gap_encode_exactly) {
  EXPECT_EQ(encode(ack{42}), R"({"type":"ack","seq":42})");
  EXPECT_EQ(encode(gap{5, std::nullopt, "new epoch"}), R"({"type":"gap","from":5,"to":null,"reason":"new epoch"})");
}

// --- decode_client accepts what the protocol document shows -----------------

TEST(protocol, decode_client_reads_documented_messages) {
  EXPECT_EQ(decoded_client<hello>(R"({"type":"hello","name":"client1"})"), (hello{"client1", {}, {}}));
  EXPECT_EQ(decoded_client<hello>(R"({"name":"x","last_seq":0,"epoch":5,"type":"hello"})"), (hello{"x", 5, 0}));
  EXPECT_EQ(decoded_client<ack>(R"( {"type":"ack","seq":42} )").seq, 42u);
}

TEST(protocol, name_of_exactly_max_length_is_accepted) {
  const std::string name(max_name_length, 'n');
  EXPECT_EQ(decoded_client<hello>(R"({"type":"hello","name":")" + name + "\"}").name, name);
}

// --- hello encoding -----------------------------------------------------------

TEST(protocol, encoding_names_parse_back) {
  for (const auto e : {encoding::json, encoding::binary}) EXPECT_EQ(parse_encoding(encoding_name(e)), e);
  EXPECT_EQ(parse_encoding("BINARY"), std::nullopt);
  EXPECT_EQ(parse_encoding(""), std::nullopt);
}

TEST(protocol, hello_carries_encoding_only_when_binary) {
  EXPECT_EQ(encode(hello{"c", {}, {}, encoding::json}), R"({"type":"hello","name":"c"})");
  EXPECT_EQ(encode(hello{"c", {}, {}, encoding::binary}), R"({"type":"hello","name":"c","encoding":"binary"})");
}

TEST(protocol, hello_with_encoding_round_trips) {
  const hello h{"rec", 7, 42, encoding::binary};
  EXPECT_EQ(decoded_client<hello>(encode(h)), h);
}

TEST(protocol, hello_encoding_decodes) {
  EXPECT_EQ(decoded_client<hello>(R"({"type":"hello","name":"c"})").enc, encoding::json);
  EXPECT_EQ(decoded_client<hello>(R"({"type":"hello","name":"c","encoding":"json"})").enc, encoding::json);
  EXPECT_EQ(decoded_client<hello>(R"({"type":"hello","name":"c","encoding":"binary"})").enc, encoding::binary);
}

TEST(protocol, hello_with_unknown_encoding_is_rejected) {
  for (const auto* value : {R"("foo")", R"("BINARY")", R"("")", "1", "null", "[]"}) {
    const auto e = rejected(fmt::format(R"({{"type":"hello","name":"c","encoding":{}}})", value));
    EXPECT_EQ(e.code, "bad_message") << value;
    EXPECT_NE(e.message.find("encoding"), std::string::npos) << value << ": " << e.message;
  }
}

// --- decode_client rejects ---------------------------------------------------

TEST(protocol, decode_client_rejects_non_json) {
  EXPECT_EQ(rejected("").code, "bad_json");
  EXPECT_EQ(rejected("hello").code, "bad_json");
  EXPECT_EQ(rejected(R"({"type":"ack","seq":1)").code, "bad_json");
  EXPECT_EQ(rejected(std::string_view("\xff\xfe\x00\x01", 4)).code, "bad_json");
  EXPECT_EQ(rejected(R"({"type":"ack","seq":1} trailing)").code, "bad_json");
}

TEST(protocol, decode_client_rejects_non_objects) {
  EXPECT_EQ(rejected("[]").code, "bad_json");
  EXPECT_EQ(rejected("42").code, "bad_json");
  EXPECT_EQ(rejected(R"("hello")").code, "bad_json");
  EXPECT_EQ(rejected("null").code, "bad_json");
}

TEST(protocol, decode_client_rejects_missing_or_mistyped_type) {
  EXPECT_EQ(rejected(R"({"seq":1})").code, "bad_message");
  EXPECT_EQ(rejected(R"({"type":1,"seq":1})").code, "bad_message");
  EXPECT_EQ(rejected(R"({"type":null})").code, "bad_message");
  EXPECT_EQ(rejected(R"({"type":["ack"],"seq":1})").code, "bad_message");
}

TEST(protocol, decode_client_rejects_unknown_type) {
  const auto e = rejected(R"({"type":"subscribe","seq":1})");
  EXPECT_EQ(e.code, "unknown_type");
  EXPECT_NE(e.message.find("subscribe"), std::string::npos) << e.message;
  EXPECT_EQ(rejected(R"({"type":"packet","seq":1,"ts":1,"arrays":[]})").code, "unknown_type");
  EXPECT_EQ(rejected(R"({"type":"ACK","seq":1})").code, "unknown_type");
}

TEST(protocol, decode_client_rejects_bad_ack_seq) {
  EXPECT_EQ(rejected(R"({"type":"ack"})").code, "bad_message");
  EXPECT_EQ(rejected(R"({"type":"ack","seq":-1})").code, "bad_message");
  EXPECT_EQ(rejected(R"({"type":"ack","seq":1.5})").code, "bad_message");
  EXPECT_EQ(rejected(R"({"type":"ack","seq":2.0})").code, "bad_message");
  EXPECT_EQ(rejected(R"({"type":"ack","seq":1e3})").code, "bad_message");
  EXPECT_EQ(rejected(R"({"type":"ack","seq":18446744073709551616})").code, "bad_message");  // 2^64
  EXPECT_EQ(rejected(R"({"type":"ack","seq":"42"})").code, "bad_message");
  EXPECT_EQ(rejected(R"({"type":"ack","seq":null})").code, "bad_message");
}

TEST(protocol, decode_client_rejects_bad_hello) {
  EXPECT_EQ(rejected(R"({"type":"hello"})").code, "bad_message");
  EXPECT_EQ(rejected(R"({"type":"hello","name":""})").code, "bad_message");
  EXPECT_EQ(rejected(R"({"type":"hello","name":7})").code, "bad_message");
  const std::string too_long(max_name_length + 1, 'n');
  EXPECT_EQ(rejected(R"({"type":"hello","name":")" + too_long + "\"}").code, "bad_message");
}

TEST(protocol, decode_client_rejects_half_a_resume_point) {
  EXPECT_EQ(rejected(R"({"type":"hello","name":"c","epoch":3})").code, "bad_message");
  EXPECT_EQ(rejected(R"({"type":"hello","name":"c","last_seq":3})").code, "bad_message");
  EXPECT_EQ(rejected(R"({"type":"hello","name":"c","epoch":3,"last_seq":-1})").code, "bad_message");
  EXPECT_EQ(rejected(R"({"type":"hello","name":"c","epoch":"3","last_seq":1})").code, "bad_message");
}

// --- decode_server -----------------------------------------------------------

TEST(protocol, decode_server_reads_a_packet) {
  const auto p = decoded_server<packet>(R"({"type":"packet","seq":42,"ts":1764000000123456,"arrays":[[58,39],[-1]]})");
  EXPECT_EQ(p, (packet{42, 1764000000123456, {{58, 39}, {-1}}}));
}

TEST(protocol, packets_carry_doubles_ragged_arrays_and_big_integers_as_doubles) {
  const packet p{3, 4, {{1, 2.5, -0.0}, {}, {1e300}}};
  EXPECT_EQ(decoded_server<packet>(encode(p)), p);
  const auto big = decoded_server<packet>(R"({"type":"packet","seq":1,"ts":1,"arrays":[[18446744073709551615]]})");
  EXPECT_EQ(big.arrays, (std::vector<array_t>{{1.8446744073709552e19}}));
}

TEST(protocol, decode_server_reads_a_welcome) {
  const auto w = decoded_server<welcome>(
      R"({"type":"welcome","epoch":9,"head":3,"history":600,"arrays":5,"length":10,"min":0,"max":99,"interval_us":2000000})");
  // A server from before sources: no "source", so it was random.
  EXPECT_EQ(w, (welcome{9, 3, 600, {"random", 2'000'000, random_shape{5, 10, 0, 99}}}));
}

TEST(protocol, decode_server_reads_gaps_with_and_without_end) {
  EXPECT_EQ(decoded_server<gap>(R"({"type":"gap","from":4,"to":9,"reason":"history"})"), (gap{4, 9, "history"}));
  EXPECT_EQ(decoded_server<gap>(R"({"type":"gap","from":4,"to":null,"reason":"new epoch"})"),
            (gap{4, std::nullopt, "new epoch"}));
}

TEST(protocol, decode_server_reads_an_error) {
  EXPECT_EQ(decoded_server<error>(R"({"type":"error","code":"bad_json","message":"nope"})"),
            (error{"bad_json", "nope"}));
}

TEST(protocol, decode_server_rejects_malformed_messages) {
  for (const std::string_view text : {
           R"({"type":"packet","seq":1,"ts":1})",                        // no arrays
           R"({"type":"packet","seq":-1,"ts":1,"arrays":[]})",           // negative seq
           R"({"type":"packet","seq":0,"ts":1,"arrays":[]})",            // seq starts at 1
           R"({"type":"packet","seq":1,"ts":1,"arrays":[1,2]})",         // not arrays of arrays
           R"({"type":"packet","seq":1,"ts":1,"arrays":[[1,"2"]]})",     // not a number
           R"({"type":"welcome"})",                                      // no epoch
           R"({"type":"gap","from":4})",                                 // no to
           R"({"type":"gap","from":4,"to":"x"})",                        // to neither integer nor null
           R"({"type":"gap","to":4})",                                   // no from
       }) {
    auto m = decode_server(text);
    EXPECT_TRUE(std::holds_alternative<decode_error>(m)) << text;
  }
  EXPECT_EQ(std::get<decode_error>(decode_server(R"({"type":"hello","name":"x"})")).code, "unknown_type");
  EXPECT_EQ(std::get<decode_error>(decode_server("not json")).code, "bad_json");
}

// --- producers: /publish ----------------------------------------------------

producer_message decoded_producer(std::string_view text) { return decode_producer(text); }

publish_error refused_producer(std::string_view text) {
  auto m = decode_producer(text);
  EXPECT_TRUE(std::holds_alternative<publish_error>(m)) << "accepted: " << text;
  if (auto* e = std::get_if<publish_error>(&m)) return *e;
  return {};
}

TEST(protocol, publish_round_trips_ints_doubles_and_ragged_arrays) {
  const publish p{"host-1-2", 7, {{1, -2, std::numeric_limits<std::int64_t>::max()}, {2.5, -0.0, 1e300}, {}, {3.0}},
                  1764000000123456};
  const auto back = decoded_producer(encode(p));
  ASSERT_TRUE(std::holds_alternative<publish>(back));
  EXPECT_EQ(std::get<publish>(back), p);
}

// Found by the fuzzer: a double past int64's range written with a fraction.
TEST(protocol, publish_with_a_huge_double_round_trips) {
  const auto p = decoded_producer(
      R"({"type":"publish","producer":"p","pseq":1,"arrays":[[666666666666666666666666666666666666666666666661888888888888.888,2.5],[]]})");
  ASSERT_TRUE(std::holds_alternative<publish>(p));
  EXPECT_EQ(std::get<publish>(decoded_producer(encode(std::get<publish>(p)))), std::get<publish>(p));
}

TEST(protocol, publish_without_ts_round_trips) {
  const publish p{"p", 1, {{1}}, std::nullopt};
  EXPECT_EQ(std::get<publish>(decoded_producer(encode(p))), p);
  EXPECT_EQ(encode(p).find("\"ts\""), std::string::npos);
}

TEST(protocol, publish_reads_what_a_python_producer_writes) {
  const auto m = decoded_producer(R"({"type":"publish","producer":"py","pseq":3,"arrays":[[1,2],[0.5]],"ts":12})");
  ASSERT_TRUE(std::holds_alternative<publish>(m));
  EXPECT_EQ(std::get<publish>(m), (publish{"py", 3, {{1, 2}, {0.5}}, 12}));
}

// Each refusal names what is wrong, with a code the producer can act on and
// the server can count.
TEST(protocol, malformed_publish_messages_are_refused_with_their_kind) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"nope", "bad_json"},
      {R"([1,2])", "bad_json"},
      {R"({"type":"ack","seq":1})", "unknown_type"},
      {R"({"type":"publish","pseq":1,"arrays":[]})", "bad_message"},                         // no producer
      {R"({"type":"publish","producer":"","pseq":1,"arrays":[]})", "bad_message"},           // empty producer
      {R"({"type":"publish","producer":"a\nb","pseq":1,"arrays":[]})", "bad_message"},       // a newline
      {R"({"type":"publish","producer":"a\u0007","pseq":1,"arrays":[]})", "bad_message"},    // control char
      {R"({"type":"publish","producer":"p","arrays":[]})", "bad_message"},                   // no pseq
      {R"({"type":"publish","producer":"p","pseq":0,"arrays":[]})", "bad_message"},          // pseq from 1
      {R"({"type":"publish","producer":"p","pseq":-3,"arrays":[]})", "bad_message"},
      {R"({"type":"publish","producer":"p","pseq":1})", "bad_message"},                      // no arrays
      {R"({"type":"publish","producer":"p","pseq":1,"arrays":[1,2]})", "bad_message"},       // not arrays of arrays
      {R"({"type":"publish","producer":"p","pseq":1,"arrays":[["x"]]})", "bad_value"},
      {R"({"type":"publish","producer":"p","pseq":1,"arrays":[[1,"2"]]})", "bad_value"},
      {R"({"type":"publish","producer":"p","pseq":1,"arrays":[[1e999]]})", "bad_value"},     // infinite
      {R"({"type":"publish","producer":"p","pseq":1,"arrays":[],"ts":"now"})", "bad_message"},
  };
  for (const auto& [text, code] : cases) EXPECT_EQ(refused_producer(text).code, code) << text;
}

// The producer can tell which packet was refused once the pseq could be read.
TEST(protocol, a_publish_error_names_the_pseq_once_it_was_read) {
  EXPECT_EQ(refused_producer(R"({"type":"publish","producer":"p","pseq":4,"arrays":[[NaN]]})").pseq, std::nullopt);
  EXPECT_EQ(refused_producer(R"({"type":"publish","producer":"p","pseq":4,"arrays":[["x"]]})").pseq, 4u);
  EXPECT_EQ(refused_producer(R"({"type":"publish","producer":"p","pseq":4})").pseq, 4u);
  EXPECT_EQ(refused_producer(R"({"type":"publish","pseq":4,"arrays":[]})").pseq, std::nullopt);
}

TEST(protocol, a_publish_over_max_packet_values_is_too_many_values) {
  std::string text = R"({"type":"publish","producer":"p","pseq":1,"arrays":[[)";
  for (std::size_t i = 0; i <= max_packet_values; ++i) text += i == 0 ? "0" : ",0";
  text += "]]}";
  EXPECT_EQ(refused_producer(text).code, "too_many_values");
}

TEST(protocol, published_and_errors_round_trip_for_the_producer) {
  const auto acked = decode_publish_reply(encode(published{7, 42}));
  ASSERT_TRUE(std::holds_alternative<published>(acked));
  EXPECT_EQ(std::get<published>(acked), (published{7, 42}));
  const publish_error e{"bad_value", "publish: a number that is not finite", 9};
  const auto refused = decode_publish_reply(encode(e));
  ASSERT_TRUE(std::holds_alternative<publish_error>(refused));
  EXPECT_EQ(std::get<publish_error>(refused), e);
  // An error with no pseq: the message could not be read far enough.
  const auto unread = decode_publish_reply(encode(publish_error{"bad_json", "x", std::nullopt}));
  EXPECT_EQ(std::get<publish_error>(unread).pseq, std::nullopt);
  EXPECT_EQ(encode(publish_error{"bad_json", "x", std::nullopt}).find("pseq"), std::string::npos);
}

TEST(protocol, publish_replies_that_are_malformed_are_decode_errors) {
  for (const std::string_view text : {R"({"type":"published","pseq":1})", R"({"type":"published","seq":1})",
                                      R"({"type":"packet","seq":1,"ts":1,"arrays":[]})", "[]"})
    EXPECT_TRUE(std::holds_alternative<decode_error>(decode_publish_reply(text))) << text;
}

}  // namespace
}  // namespace arraycast
