#include "recorder/csv_sink.hpp"
#include "recorder/event_text.hpp"
#include "recorder/jsonl_sink.hpp"
#include "recorder/sink.hpp"
#include "recorder/txt_sink.hpp"

#include <string>
#include <utility>
#include <variant>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "core/values.hpp"
#include "sink_files.hpp"

namespace arraycast {
namespace {

namespace json = boost::json;
using namespace testing_files;

class sinks : public sink_files {};

// --- txt ---------------------------------------------------------------------

TEST_F(sinks, txt_writes_a_packet_line_then_one_line_per_array_then_a_blank_line) {
  const auto file = path("r.txt");
  {
    txt_sink out(file);
    out.write_packet(p42, 1, t0);
    out.write_packet(p43, 1, t0 + 1);
  }
  EXPECT_EQ(read(file),
            "# packet 42 epoch 1 : 1764000000.123456\n"
            "[58 39 38 44 27 73 39 81 28 23] : 1764000000.123456\n"
            "[0 1 2 3 4 5 6 7 8 9] : 1764000000.123456\n"
            "\n"
            "# packet 43 epoch 1 : 1764000000.123457\n"
            "[-1 99 0 0 0 0 0 0 0 5] : 1764000000.123457\n"
            "\n");
}

TEST_F(sinks, txt_writes_doubles_as_doubles_and_arrays_of_any_length) {
  const auto file = path("r.txt");
  {
    txt_sink out(file);
    out.write_packet(p44, 1, t0);
    out.write_packet(p45, 1, t0);
  }
  EXPECT_EQ(read(file),
            "# packet 44 epoch 1 : 1764000000.123456\n"
            "[2.5 -0.5 1e+300] : 1764000000.123456\n"
            "[] : 1764000000.123456\n"
            "[2.0] : 1764000000.123456\n"
            "\n"
            "# packet 45 epoch 1 : 1764000000.123456\n"
            "\n");
}

TEST_F(sinks, txt_writes_events_as_marker_lines) {
  const auto file = path("r.txt");
  {
    txt_sink out(file);
    out.write_event(connected(t0));
    out.write_event(disconnected(5));
    out.write_event(gap(3, 9, t0));
    out.write_event(gap(3, std::nullopt, t0));
  }
  const auto got = lines_of(read(file));
  ASSERT_EQ(got.size(), 8u);
  EXPECT_EQ(got[0], "# connected to ws://127.0.0.1:6969/ : 1764000000.123456");
  EXPECT_EQ(got[2], "# disconnected: eof : 0.000005");
  EXPECT_EQ(got[4], "# gap: packets 3 to 9 are missing (history) : 1764000000.123456");
  EXPECT_EQ(got[6].rfind("# gap: packets from 3 ", 0), 0u) << got[6];
  for (std::size_t i = 0; i < got.size(); i += 2) {
    EXPECT_EQ(got[i].rfind("# ", 0), 0u) << got[i];
    EXPECT_EQ(got[i + 1], "");
  }
}

// --- jsonl -------------------------------------------------------------------

TEST_F(sinks, jsonl_packet_lines_carry_seq_epoch_ts_recv_ts_and_arrays) {
  const auto file = path("r.jsonl");
  {
    jsonl_sink out(file);
    out.write_packet(p42, 7, t0);
  }
  const auto got = lines_of(read(file));
  ASSERT_EQ(got.size(), 1u);
  const auto v = json::parse(got[0]);
  const auto& o = v.as_object();
  EXPECT_EQ(o.size(), 5u);
  EXPECT_EQ(o.at("seq").to_number<std::uint64_t>(), 42u);
  EXPECT_EQ(o.at("epoch").to_number<std::uint64_t>(), 7u);
  EXPECT_EQ(o.at("ts").to_number<std::int64_t>(), p42.ts);
  EXPECT_EQ(o.at("recv_ts").to_number<std::int64_t>(), t0);
  EXPECT_EQ(o.at("arrays"), json::parse("[[58,39,38,44,27,73,39,81,28,23],[0,1,2,3,4,5,6,7,8,9]]"));
}

TEST_F(sinks, jsonl_arrays_read_back_with_every_value_of_its_kind) {
  const auto file = path("r.jsonl");
  {
    jsonl_sink out(file);
    out.write_packet(p44, 7, t0);
    out.write_packet(p45, 7, t0);
  }
  const auto got = lines_of(read(file));
  ASSERT_EQ(got.size(), 2u);
  EXPECT_NE(got[0].find(R"("arrays":[[2.5E0,-5E-1,1E300],[],[2E0]])"), std::string::npos) << got[0];
  for (const auto& [line, p] : {std::pair{got[0], p44}, std::pair{got[1], p45}}) {
    const auto arrays = arrays_from_json(json::parse(line).at("arrays"));
    ASSERT_TRUE(std::holds_alternative<std::vector<array_t>>(arrays)) << line;
    EXPECT_EQ(std::get<std::vector<array_t>>(arrays), p.arrays) << line;  // == compares kinds too
  }
}

TEST_F(sinks, jsonl_event_lines_carry_event_time_and_details) {
  const auto file = path("r.jsonl");
  {
    jsonl_sink out(file);
    out.write_event(connected(t0));
    out.write_event(disconnected(t0 + 1));
    out.write_event(gap(3, 9, t0 + 2));
    out.write_event(gap(10, std::nullopt, t0 + 3));
  }
  const auto got = lines_of(read(file));
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(json::parse(got[0]), json::parse(R"({"event":"connected","time":1764000000123456,"url":"ws://127.0.0.1:6969/"})"));
  EXPECT_EQ(json::parse(got[1]), json::parse(R"({"event":"disconnected","time":1764000000123457,"reason":"eof"})"));
  EXPECT_EQ(json::parse(got[2]),
            json::parse(R"({"event":"gap","time":1764000000123458,"from":3,"to":9,"reason":"history"})"));
  EXPECT_EQ(json::parse(got[3]),
            json::parse(R"({"event":"gap","time":1764000000123459,"from":10,"to":null,"reason":"history"})"));
}

TEST_F(sinks, jsonl_resume_is_empty_for_a_new_or_event_only_file) {
  const auto file = path("r.jsonl");
  jsonl_sink out(file);
  EXPECT_FALSE(out.resume().has_value());
  out.write_event(connected(t0));
  out.write_event(gap(1, 4, t0));
  EXPECT_FALSE(out.resume().has_value());
}

TEST_F(sinks, jsonl_resume_returns_the_last_packet_even_after_events) {
  const auto file = path("r.jsonl");
  {
    jsonl_sink out(file);
    out.write_packet(p42, 7, t0);
    out.write_packet(p43, 7, t0);
    out.write_event(disconnected(t0));
    const auto r = out.resume();
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->epoch, 7u);
    EXPECT_EQ(r->last_seq, 43u);
  }
  jsonl_sink reopened(file);  // a restarted recorder reads it back
  const auto r = reopened.resume();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->epoch, 7u);
  EXPECT_EQ(r->last_seq, 43u);
}

TEST_F(sinks, jsonl_resume_counts_a_recorded_gap_after_the_last_packet) {
  const auto file = path("r.jsonl");
  jsonl_sink out(file);
  out.write_packet(p42, 7, t0);
  out.write_event(gap(43, 50, t0));   // announced by the server: nothing to ask for again
  out.write_event(disconnected(t0));
  out.write_event(gap(51, std::nullopt, t0));  // a new epoch: the resume point stays in epoch 7
  const auto r = out.resume();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->epoch, 7u);
  EXPECT_EQ(r->last_seq, 50u);
}

TEST_F(sinks, jsonl_resume_ignores_a_torn_last_line) {
  const auto file = path("r.jsonl");
  write(file, R"({"seq":5,"epoch":2,"ts":1,"recv_ts":2,"arrays":[[1]]})"
              "\n"
              R"({"seq":6,"epoch":2,"ts":1,"rec)");
  jsonl_sink out(file);
  const auto r = out.resume();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->epoch, 2u);
  EXPECT_EQ(r->last_seq, 5u);
}

// --- csv ---------------------------------------------------------------------

TEST_F(sinks, csv_writes_the_header_once_and_one_row_per_array) {
  const auto file = path("r.csv");
  {
    csv_sink out(file);
    out.write_packet(p42, 1, t0);
    out.write_packet(p43, 1, t0 + 1);
  }
  EXPECT_EQ(read(file),
            "seq,epoch,array,arrays,ts,recv_ts,v0,v1,v2,v3,v4,v5,v6,v7,v8,v9\n"
            "42,1,0,2,1764000000000001,1764000000123456,58,39,38,44,27,73,39,81,28,23\n"
            "42,1,1,2,1764000000000001,1764000000123456,0,1,2,3,4,5,6,7,8,9\n"
            "43,1,0,1,1764000000000002,1764000000123457,-1,99,0,0,0,0,0,0,0,5\n");
}

TEST_F(sinks, csv_header_names_the_first_packets_longest_array_and_rows_hold_their_own_values) {
  const auto file = path("r.csv");
  {
    csv_sink out(file);
    out.write_packet(p44, 1, t0);
    out.write_packet(p45, 1, t0);
    out.write_packet(p42, 1, t0);
  }
  EXPECT_EQ(read(file),
            "seq,epoch,array,arrays,ts,recv_ts,v0,v1,v2\n"
            "44,1,0,3,1764000000000003,1764000000123456,2.5,-0.5,1e+300\n"
            "44,1,1,3,1764000000000003,1764000000123456\n"
            "44,1,2,3,1764000000000003,1764000000123456,2.0\n"
            "45,1,0,0,1764000000000004,1764000000123456\n"
            "42,1,0,2,1764000000000001,1764000000123456,58,39,38,44,27,73,39,81,28,23\n"
            "42,1,1,2,1764000000000001,1764000000123456,0,1,2,3,4,5,6,7,8,9\n");
}

TEST_F(sinks, csv_puts_the_header_first_even_when_an_event_came_first) {
  // The recorder writes "connected" before the first packet of a new file.
  const auto file = path("r.csv");
  {
    csv_sink out(file);
    out.write_event(connected(t0));
    out.write_packet(p43, 1, t0);
  }
  const auto got = lines_of(read(file));
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0], "seq,epoch,array,arrays,ts,recv_ts,v0,v1,v2,v3,v4,v5,v6,v7,v8,v9");
  EXPECT_EQ(got[1], "# connected to ws://127.0.0.1:6969/ : 1764000000.123456");
  EXPECT_EQ(got[2], "43,1,0,1,1764000000000002,1764000000123456,-1,99,0,0,0,0,0,0,0,5");
}

TEST_F(sinks, csv_does_not_repeat_the_header_when_appending) {
  const auto file = path("r.csv");
  { csv_sink(file).write_packet(p42, 1, t0); }
  {
    csv_sink out(file);
    out.write_event(connected(t0));
    out.write_packet(p43, 1, t0);
  }
  const auto got = lines_of(read(file));
  ASSERT_EQ(got.size(), 5u);
  EXPECT_EQ(got[0].rfind("seq,epoch,array,", 0), 0u);
  EXPECT_EQ(got[3].rfind("# connected", 0), 0u);
  EXPECT_EQ(got[4].rfind("43,1,0,", 0), 0u);
}

// --- every format: what the peer says cannot forge lines -------------------------

TEST_F(sinks, control_characters_from_the_peer_are_escaped) {
  const std::string forged = "bye\n[1 2 3] : 1.000000\n\n# packet 99 epoch 7 : 1.0\r\n99,7,0,1,1,1,5\n";
  for (const auto* name : formats) {
    const auto file = path(name);
    {
      auto out = make_sink(format_for_path(file), file);
      out->write_packet(p43, 7, t0);
      out->write_event({record_event::kind::disconnected, t0, forged, 0, {}});
      out->write_event({record_event::kind::gap, t0, forged, 44, 50});
    }
    const auto text = read(file);
    EXPECT_EQ(text.find("\n[1 2 3]"), std::string::npos) << name << ":\n" << text;
    EXPECT_EQ(text.find("\n# packet 99"), std::string::npos) << name << ":\n" << text;
    EXPECT_EQ(text.find("\n99,7,"), std::string::npos) << name << ":\n" << text;
    EXPECT_EQ(text.find('\r'), std::string::npos) << name;
    EXPECT_NE(text.find(R"(bye\n[1 2 3])"), std::string::npos) << name << ":\n" << text;
    const auto r = make_sink(format_for_path(file), file)->resume();
    ASSERT_TRUE(r.has_value()) << name;
    EXPECT_EQ(r->epoch, 7u) << name;
    EXPECT_EQ(r->last_seq, 50u) << name;
  }
  const auto lines = lines_of(read(path("r.jsonl")));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(json::parse(lines[1]).at("reason").as_string(), forged);  // JSON escapes, and gives it back whole
}

TEST_F(sinks, csv_writes_nothing_before_its_first_packet) {
  // A CSV reader takes the first line for the header: no comment may come first.
  const auto file = path("r.csv");
  {
    csv_sink out(file);
    out.write_event(connected(t0));
    out.write_event(disconnected(t0));
  }
  EXPECT_EQ(read(file), "");
}

TEST_F(sinks, opening_an_unwritable_path_throws_with_the_path) {
  const auto file = path("no/such/dir/r.txt");
  try {
    txt_sink out(file);
    FAIL() << "opened " << file;
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(file), std::string::npos) << e.what();
  }
}

// --- formats -------------------------------------------------------------------

TEST(sink_format, parse_format_knows_the_three_names) {
  EXPECT_EQ(parse_format("txt"), sink_format::txt);
  EXPECT_EQ(parse_format("jsonl"), sink_format::jsonl);
  EXPECT_EQ(parse_format("csv"), sink_format::csv);
  EXPECT_EQ(parse_format("json"), std::nullopt);
  EXPECT_EQ(parse_format("CSV"), std::nullopt);
  EXPECT_EQ(parse_format(""), std::nullopt);
}

TEST(sink_format, format_for_path_goes_by_extension_else_txt) {
  EXPECT_EQ(format_for_path("client1.jsonl"), sink_format::jsonl);
  EXPECT_EQ(format_for_path("out/client1.csv"), sink_format::csv);
  EXPECT_EQ(format_for_path("client1.txt"), sink_format::txt);
  EXPECT_EQ(format_for_path("client1"), sink_format::txt);
  EXPECT_EQ(format_for_path("client1.log"), sink_format::txt);
  EXPECT_EQ(format_for_path("data.csv/client1"), sink_format::txt);
  EXPECT_EQ(format_for_path("archive.tar.csv"), sink_format::csv);
  EXPECT_EQ(format_for_path(""), sink_format::txt);
}

TEST(sink_format, format_seconds_prints_microseconds_as_seconds) {
  EXPECT_EQ(format_seconds(1764000000123456), "1764000000.123456");
  EXPECT_EQ(format_seconds(5), "0.000005");
  EXPECT_EQ(format_seconds(0), "0.000000");
  EXPECT_EQ(format_seconds(-1500000), "-1.500000");
}

}  // namespace
}  // namespace arraycast
