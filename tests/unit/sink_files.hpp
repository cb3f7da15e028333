#pragma once

// What the sink and recording-file tests share: sample packets and events,
// and a fixture that gives each test a directory of its own.

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "recorder/sink.hpp"

namespace arraycast::testing_files {

namespace fs = std::filesystem;

inline constexpr std::int64_t t0 = 1764000000123456;  // prints as 1764000000.123456

inline const packet p42{42, 1764000000000001, {{58, 39, 38, 44, 27, 73, 39, 81, 28, 23}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}}};
inline const packet p43{43, 1764000000000002, {{-1, 99, 0, 0, 0, 0, 0, 0, 0, 5}}};
// What sources other than random send: doubles, arrays of any length, or none.
inline const packet p44{44, 1764000000000003, {{2.5, -0.5, 1e300}, {}, {2.0}}};
inline const packet p45{45, 1764000000000004, {}};

inline record_event connected(std::int64_t time) { return {record_event::kind::connected, time, "ws://127.0.0.1:6969/", 0, {}}; }
inline record_event disconnected(std::int64_t time) { return {record_event::kind::disconnected, time, "eof", 0, {}}; }
inline record_event gap(std::uint64_t from, std::optional<std::uint64_t> to, std::int64_t time) {
  return {record_event::kind::gap, time, "history", from, to};
}

// One file name per format, for the tests that hold for every format.
inline constexpr const char* formats[] = {"r.txt", "r.jsonl", "r.csv"};

// Each test gets its own directory under the system temp dir, removed afterwards.
class sink_files : public ::testing::Test {
protected:
  void SetUp() override {
    static std::atomic<unsigned> counter{0};
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("arraycast_sinks_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" + info->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  static std::string read(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  static void write(const std::string& file, const std::string& text) {
    std::ofstream(file, std::ios::binary) << text;
  }
  static std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }

private:
  fs::path dir_;
};

}  // namespace arraycast::testing_files
