// Every format through recording_file: resume points read back from the
// file, partial records cut off on open, foreign files refused, one writer.
#include "recorder/recording_file.hpp"

#include <sys/resource.h>

#include <csignal>
#include <string>

#include <gtest/gtest.h>

#include "recorder/jsonl_sink.hpp"
#include "sink_files.hpp"

namespace arraycast {
namespace {

using namespace testing_files;

class recording_files : public sink_files {};

// Opens `file` again, as a restarted recorder does, and checks where it resumes.
void expect_resume(const std::string& file, std::uint64_t epoch, std::uint64_t last_seq) {
  const auto r = make_sink(format_for_path(file), file)->resume();
  ASSERT_TRUE(r.has_value()) << file;
  EXPECT_EQ(r->epoch, epoch) << file;
  EXPECT_EQ(r->last_seq, last_seq) << file;
}

// --- every format: appending and torn lines -----------------------------------

TEST_F(recording_files, appending_to_an_existing_file_keeps_its_content) {
  for (const auto* name : {"a.txt", "a.jsonl", "a.csv"}) {
    const auto file = path(name);
    make_sink(format_for_path(file), file)->write_packet(p42, 7, t0);
    const auto before = read(file);
    make_sink(format_for_path(file), file)->write_event(disconnected(t0));
    const auto after = read(file);
    EXPECT_EQ(after.substr(0, before.size()), before) << name;
    EXPECT_NE(after.find("eof", before.size()), std::string::npos) << name << ": " << after;
  }
}

// --- every format: reading its own resume point back ---------------------------

TEST_F(recording_files, every_format_resumes_from_its_own_file) {
  for (const auto* name : formats) {
    const auto file = path(name);
    {
      auto out = make_sink(format_for_path(file), file);
      EXPECT_FALSE(out->resume().has_value()) << name;
      out->write_event(connected(t0));
      EXPECT_FALSE(out->resume().has_value()) << name;
      out->write_packet(p42, 7, t0);
      out->write_packet(p43, 7, t0);
      out->write_event(disconnected(t0));
    }
    expect_resume(file, 7, 43);
  }
}

TEST_F(recording_files, every_format_resumes_after_doubles_ragged_arrays_and_a_packet_of_none) {
  for (const auto* name : formats) {
    const auto file = path(name);
    {
      auto out = make_sink(format_for_path(file), file);
      out->write_packet(p44, 7, t0);
      EXPECT_EQ(out->resume().value().last_seq, 44u) << name;
      out->write_packet(p45, 7, t0);
    }
    expect_resume(file, 7, 45);
    make_sink(format_for_path(file), file)->write_packet(p44, 8, t0);  // reopened: nothing was cut off
    expect_resume(file, 8, 44);
  }
}

TEST_F(recording_files, a_gap_after_a_new_epoch_does_not_move_the_old_epochs_resume_point) {
  for (const auto* name : formats) {
    const auto file = path(name);
    {
      auto out = make_sink(format_for_path(file), file);
      out->write_packet(p42, 7, t0);
      out->write_event(gap(43, 50, t0));  // announced: nothing to ask for again
      out->write_event(gap(51, std::nullopt, t0));
      out->write_event(gap(1, 100, t0));  // the new epoch's history, not epoch 7's
    }
    expect_resume(file, 7, 50);
  }
}

TEST_F(recording_files, every_format_finds_its_last_packet_behind_many_chunks_of_events) {
  for (const auto* name : formats) {
    const auto file = path(name);
    {
      auto out = make_sink(format_for_path(file), file);
      out->write_packet(p42, 7, t0);
      out->write_packet(p43, 7, t0);
      for (int i = 0; i < 5000; ++i) out->write_event(i % 2 ? connected(t0 + i) : disconnected(t0 + i));
    }
    expect_resume(file, 7, 43);
  }
}

TEST_F(recording_files, jsonl_resume_reads_a_last_line_longer_than_any_chunk) {
  const auto file = path("r.jsonl");
  const packet big{9, 1, std::vector<array_t>(40, array_t(40'000, 1234567))};  // a 13 MB line
  {
    jsonl_sink out(file);
    out.write_packet(p42, 7, t0);
    out.write_packet(big, 7, t0);
  }
  const auto r = jsonl_sink(file).resume();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->epoch, 7u);
  EXPECT_EQ(r->last_seq, 9u);
}

TEST_F(recording_files, jsonl_resume_passes_over_a_packet_line_it_cannot_read) {
  const std::string good = R"({"seq":5,"epoch":2,"ts":1,"recv_ts":2,"arrays":[[1]]})" "\n";
  for (const auto* bad : {R"({"seq":6,"epoch":"x","ts":1,"recv_ts":2,"arrays":[[1]]})",
                          R"({"seq":-6,"epoch":2,"ts":1,"recv_ts":2,"arrays":[[1]]})",
                          R"({"seq":6,"epoch":2,"ts":1,"rec)"}) {
    const auto file = path("r.jsonl");
    write(file, good + bad + "\n");
    const auto r = jsonl_sink(file).resume();
    ASSERT_TRUE(r.has_value()) << bad;
    EXPECT_EQ(r->epoch, 2u) << bad;
    EXPECT_EQ(r->last_seq, 5u) << bad;
  }
}

// --- every format: partial records and foreign files ----------------------------

TEST_F(recording_files, a_torn_last_line_is_cut_off_on_open) {
  for (const auto* name : formats) {
    const auto file = path(name);
    make_sink(format_for_path(file), file)->write_packet(p42, 7, t0);
    const auto complete = read(file);
    write(file, complete + complete.substr(0, 7));
    auto out = make_sink(format_for_path(file), file);
    EXPECT_EQ(read(file), complete) << name;
    out->write_event(disconnected(t0));
    EXPECT_EQ(read(file).substr(0, complete.size()), complete) << name;
    EXPECT_EQ(out->resume().value().last_seq, 42u) << name;
  }
}

TEST_F(recording_files, a_trailing_partial_packet_is_cut_off_on_open_not_only_its_torn_line) {
  for (const auto* name : {"p.txt", "p.csv"}) {  // the formats whose packets span lines
    const auto file = path(name);
    make_sink(format_for_path(file), file)->write_packet(p43, 7, t0);
    const auto complete = read(file);
    make_sink(format_for_path(file), file)->write_packet(p42, 7, t0);
    const auto both = read(file);
    const auto second_line_end = both.find('\n', complete.size()) + 1;
    write(file, both.substr(0, second_line_end));  // p42's first line made it, the rest did not
    auto out = make_sink(format_for_path(file), file);
    EXPECT_EQ(read(file), complete) << name;
    ASSERT_TRUE(out->resume().has_value()) << name;
    EXPECT_EQ(out->resume()->last_seq, 43u) << name;
  }
}

TEST_F(recording_files, a_trailing_partial_packet_of_doubles_and_ragged_arrays_is_cut_off_on_open) {
  for (const auto* name : {"p.txt", "p.csv"}) {
    const auto file = path(name);
    make_sink(format_for_path(file), file)->write_packet(p43, 7, t0);
    const auto complete = read(file);
    make_sink(format_for_path(file), file)->write_packet(p44, 7, t0);
    const auto both = read(file);
    const auto third_line_end = both.find('\n', both.find('\n', complete.size()) + 1) + 1;
    write(file, both.substr(0, third_line_end));  // p44's first two lines (doubles among them) made it
    auto out = make_sink(format_for_path(file), file);
    EXPECT_EQ(read(file), complete) << name;
    EXPECT_EQ(out->resume().value().last_seq, 43u) << name;
  }
}

TEST_F(recording_files, a_file_that_is_one_torn_line_becomes_empty) {
  const auto file = path("t.jsonl");
  write(file, R"({"seq":1,"epo)");
  jsonl_sink out(file);
  EXPECT_EQ(read(file), "");
  EXPECT_FALSE(out.resume().has_value());
}

TEST_F(recording_files, a_file_that_is_not_a_recording_is_refused_and_left_untouched) {
  const std::string foreign[] = {std::string("\x7f" "ELF\x02\x01\x01\0\0\0binary", 16), "a log line\nanother\n",
                                 "2026-01-01 started\nhalf a li"};
  for (const auto* name : formats) {
    for (const auto& text : foreign) {
      const auto file = path(name);
      write(file, text);
      try {
        make_sink(format_for_path(file), file);
        ADD_FAILURE() << name << " accepted " << text;
      } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find(file), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("not a"), std::string::npos) << e.what();
      }
      EXPECT_EQ(read(file), text) << name;
    }
  }
}

TEST_F(recording_files, a_second_sink_on_the_same_file_is_refused_while_the_first_holds_it) {
  for (const auto* name : formats) {
    const auto file = path(name);
    auto first = make_sink(format_for_path(file), file);
    first->write_packet(p42, 7, t0);
    try {
      make_sink(format_for_path(file), file);
      ADD_FAILURE() << name << ": a second sink opened " << file;
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("another recorder"), std::string::npos) << e.what();
    }
    first->write_packet(p43, 7, t0);
    first.reset();
    EXPECT_EQ(make_sink(format_for_path(file), file)->resume().value().last_seq, 43u) << name;  // free once closed
  }
}

TEST_F(recording_files, a_write_the_disk_cuts_short_leaves_no_partial_record) {
  for (const auto* name : formats) {
    const auto file = path(name);
    auto out = make_sink(format_for_path(file), file);
    out->write_packet(p43, 7, t0);
    const auto before = read(file);
    // The file may grow by 20 more bytes: the next packet is cut short (EFBIG).
    rlimit old{};
    ::getrlimit(RLIMIT_FSIZE, &old);
    auto* previous = std::signal(SIGXFSZ, SIG_IGN);
    rlimit small = old;
    small.rlim_cur = before.size() + 20;
    ::setrlimit(RLIMIT_FSIZE, &small);
    EXPECT_THROW(out->write_packet(p42, 7, t0), std::runtime_error) << name;
    ::setrlimit(RLIMIT_FSIZE, &old);
    std::signal(SIGXFSZ, previous);
    EXPECT_EQ(read(file), before) << name;
  }
}

}  // namespace
}  // namespace arraycast
