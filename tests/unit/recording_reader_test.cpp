#include "recorder/recording_reader.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "recorder/event_text.hpp"
#include "recorder/line_reader.hpp"
#include "sink_files.hpp"

namespace arraycast {
namespace {

using namespace testing_files;

class recording_reader_files : public sink_files {
protected:
  std::vector<recording_item> read_all(const std::string& file) {
    recording_reader reader(file);
    std::vector<recording_item> items;
    while (auto item = reader.next()) items.push_back(std::move(*item));
    return items;
  }
  // Writes p42, a gap, a disconnection and p43 in `name`'s format.
  std::string record_sample(const std::string& name) {
    const auto file = path(name);
    auto out = make_sink(format_for_path(file), file);
    out->write_packet(p42, 7, t0);
    out->write_event(gap(43, 44, t0 + 1));
    out->write_event(disconnected(t0 + 2));
    out->write_packet({45, p43.ts, p43.arrays}, 7, t0 + 3);
    return file;
  }
};

const recorded_packet& packet_at(const std::vector<recording_item>& items, std::size_t i) {
  return std::get<recorded_packet>(items.at(i));
}

TEST_F(recording_reader_files, every_format_reads_back_what_its_sink_wrote) {
  for (const auto* name : formats) {
    SCOPED_TRACE(name);
    const auto items = read_all(record_sample(name));
    ASSERT_EQ(items.size(), 4u);
    const auto& first = packet_at(items, 0);
    EXPECT_EQ(first.epoch, 7u);
    EXPECT_EQ(first.seq, 42u);
    EXPECT_EQ(first.recv_ts, t0);
    EXPECT_EQ(first.arrays, p42.arrays);
    EXPECT_EQ(first.line, 1u + (std::string(name) == "r.csv"));  // csv: after the header
    const auto& g = std::get<recorded_event>(items[1]).event;
    EXPECT_EQ(g.what, record_event::kind::gap);
    EXPECT_EQ(g.from, 43u);
    EXPECT_EQ(g.to, std::optional<std::uint64_t>(44));
    EXPECT_EQ(g.detail, "history");
    EXPECT_EQ(g.time, t0 + 1);
    EXPECT_EQ(std::get<recorded_event>(items[2]).event.what, record_event::kind::disconnected);
    EXPECT_EQ(packet_at(items, 3).seq, 45u);
    EXPECT_EQ(packet_at(items, 3).arrays, p43.arrays);
  }
}

TEST_F(recording_reader_files, jsonl_and_csv_keep_the_producers_ts_and_txt_has_none) {
  EXPECT_EQ(packet_at(read_all(record_sample("r.jsonl")), 0).ts, p42.ts);
  EXPECT_EQ(packet_at(read_all(record_sample("r.csv")), 0).ts, p42.ts);
  EXPECT_FALSE(packet_at(read_all(record_sample("r.txt")), 0).ts.has_value());
}

TEST_F(recording_reader_files, doubles_and_ragged_arrays_keep_their_kind_in_jsonl_and_csv) {
  const packet floats{1, t0, {{1, 2.5, -0.0}, {2.0}, {}}};
  for (const auto* name : {"r.jsonl", "r.csv"}) {
    SCOPED_TRACE(name);
    const auto file = path(name);
    make_sink(format_for_path(file), file)->write_packet(floats, 1, t0);
    const auto items = read_all(file);
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(packet_at(items, 0).arrays, floats.arrays);
    EXPECT_TRUE(packet_at(items, 0).arrays[1][0].is_float());
  }
}

TEST_F(recording_reader_files, a_new_epoch_gap_reads_with_no_end) {
  for (const auto* name : formats) {
    SCOPED_TRACE(name);
    const auto file = path(name);
    {
      auto out = make_sink(format_for_path(file), file);
      out->write_packet(p42, 7, t0);
      out->write_event(gap(43, std::nullopt, t0));
    }
    const auto items = read_all(file);
    ASSERT_EQ(items.size(), 2u);
    const auto& g = std::get<recorded_event>(items[1]).event;
    EXPECT_EQ(g.from, 43u);
    EXPECT_FALSE(g.to.has_value());
  }
}

TEST_F(recording_reader_files, a_torn_last_line_is_reported_with_its_number) {
  for (const auto* name : formats) {
    SCOPED_TRACE(name);
    const auto file = record_sample(name);
    const auto text = read(file);
    write(file, text + "# pack");  // a crash in the middle of a line
    const auto items = read_all(file);
    ASSERT_EQ(items.size(), 5u);
    const auto& last = std::get<unreadable_line>(items.back());
    EXPECT_EQ(last.line, lines_of(text).size() + 1);
    EXPECT_NE(last.why.find("torn"), std::string::npos) << last.why;
  }
}

TEST_F(recording_reader_files, a_txt_packet_without_its_blank_line_is_incomplete) {
  const auto file = path("r.txt");
  write(file,
        "# packet 1 epoch 7 : 1.000000\n[1 2] : 1.000000\n"  // no blank line
        "# packet 2 epoch 7 : 2.000000\n[3] : 2.000000\n\n");
  const auto items = read_all(file);
  ASSERT_EQ(items.size(), 2u);
  const auto& bad = std::get<unreadable_line>(items[0]);
  EXPECT_EQ(bad.line, 1u);
  EXPECT_NE(bad.why.find("packet 1 of epoch 7 is incomplete"), std::string::npos) << bad.why;
  EXPECT_EQ(packet_at(items, 1).seq, 2u);
  EXPECT_EQ(packet_at(items, 1).recv_ts, 2'000'000);
}

TEST_F(recording_reader_files, a_csv_packet_missing_rows_is_incomplete_and_reading_goes_on) {
  const auto file = path("r.csv");
  write(file,
        "seq,epoch,array,arrays,ts,recv_ts,v0\n"
        "1,7,0,2,10,11,5\n"  // its row 1 is missing
        "2,7,0,1,20,21,6\n"
        "3,7,1,2,30,31,7\n");  // a row without row 0
  const auto items = read_all(file);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(std::get<unreadable_line>(items[0]).line, 2u);
  EXPECT_EQ(packet_at(items, 1).seq, 2u);
  EXPECT_EQ(packet_at(items, 1).ts, 20);
  EXPECT_EQ(std::get<unreadable_line>(items[2]).line, 4u);
}

TEST_F(recording_reader_files, a_damaged_line_is_reported_and_reading_goes_on) {
  const auto file = path("r.jsonl");
  write(file,
        R"({"seq":1,"epoch":7,"ts":1,"recv_ts":2,"arrays":[[1]]})" "\n"
        "garbage\n"
        R"({"seq":2,"epoch":7,"ts":1,"recv_ts":2,"arrays":[["x"]]})" "\n"
        R"({"seq":3,"epoch":7,"ts":1,"recv_ts":2,"arrays":[[3]]})" "\n");
  const auto items = read_all(file);
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(std::get<unreadable_line>(items[1]).line, 2u);
  EXPECT_EQ(std::get<unreadable_line>(items[2]).line, 3u);
  EXPECT_EQ(packet_at(items, 3).seq, 3u);
}

TEST_F(recording_reader_files, a_file_that_is_not_a_recording_is_refused) {
  const auto file = path("input.txt");
  write(file, "1 2 3\n4 5 6\n");
  EXPECT_THROW(recording_reader{file}, std::runtime_error);
  EXPECT_THROW(recording_reader{path("absent.jsonl")}, std::runtime_error);
}

TEST(recording_reader, detect_tells_recordings_from_producer_input) {
  EXPECT_EQ(recording_reader::detect("# packet 1 epoch 2 : 1.000000"), sink_format::txt);
  EXPECT_EQ(recording_reader::detect("# connected to ws://x/ : 1.000000"), sink_format::txt);
  EXPECT_EQ(recording_reader::detect("seq,epoch,array,arrays,ts,recv_ts,v0"), sink_format::csv);
  EXPECT_EQ(recording_reader::detect(R"({"seq":1,"epoch":2,"ts":3,"recv_ts":4,"arrays":[]})"), sink_format::jsonl);
  EXPECT_EQ(recording_reader::detect(R"({"event":"connected","time":1,"url":"ws://x/"})"), sink_format::jsonl);
  EXPECT_FALSE(recording_reader::detect(R"({"arrays":[[1]],"ts":5})"));
  EXPECT_FALSE(recording_reader::detect("[[1,2],[3]]"));
  EXPECT_FALSE(recording_reader::detect("1 2 3"));
  EXPECT_FALSE(recording_reader::detect("# a comment"));
}

TEST(event_text, read_event_text_reads_what_describe_wrote) {
  const record_event events[] = {
      {record_event::kind::connected, 1764000000123456, "ws://127.0.0.1:6969/", 0, std::nullopt},
      {record_event::kind::disconnected, -1500000, "closed : 1001 (going away)", 0, std::nullopt},
      {record_event::kind::gap, 5, "history", 3, 9},
      {record_event::kind::gap, 5, "new epoch", 12, std::nullopt},
  };
  for (const auto& e : events) {
    const auto text = describe(e) + " : " + format_seconds(e.time);
    const auto back = read_event_text(text);
    ASSERT_TRUE(back) << text;
    EXPECT_EQ(back->what, e.what);
    EXPECT_EQ(back->time, e.time);
    EXPECT_EQ(back->detail, e.detail);
    EXPECT_EQ(back->from, e.from);
    EXPECT_EQ(back->to, e.to);
  }
  EXPECT_FALSE(read_event_text("gap: packets 3 to x are missing (a) : 1.000000"));
  EXPECT_FALSE(read_event_text("connected to ws://x/ : 1.5"));
}

class line_reader_files : public sink_files {};

TEST_F(line_reader_files, reads_lines_across_chunks_skips_long_ones_and_flags_a_torn_end) {
  const auto file = path("lines");
  const std::string big(200'000, 'x');  // several chunks
  write(file, "a\n" + big + "\n" + std::string(50, 'y') + "\nb\nc");
  line_reader lines(file, 100'000);
  line_reader::line l;
  ASSERT_TRUE(lines.next(l));
  EXPECT_EQ(l.text, "a");
  ASSERT_TRUE(lines.next(l));
  EXPECT_TRUE(l.too_long);
  EXPECT_EQ(l.number, 2u);
  ASSERT_TRUE(lines.next(l));
  EXPECT_EQ(l.text, std::string(50, 'y'));
  ASSERT_TRUE(lines.next(l));
  EXPECT_EQ(l.text, "b");
  EXPECT_FALSE(l.torn);
  ASSERT_TRUE(lines.next(l));
  EXPECT_EQ(l.text, "c");
  EXPECT_TRUE(l.torn);
  EXPECT_EQ(l.number, 5u);
  EXPECT_FALSE(lines.next(l));
}

TEST_F(line_reader_files, a_line_just_under_the_limit_comes_back_whole) {
  const auto file = path("lines");
  const std::string line(150'000, 'z');
  write(file, line + "\n");
  line_reader lines(file, 150'000);
  line_reader::line l;
  ASSERT_TRUE(lines.next(l));
  EXPECT_FALSE(l.too_long);
  EXPECT_EQ(l.text, line);
  EXPECT_FALSE(lines.next(l));
}

}  // namespace
}  // namespace arraycast
