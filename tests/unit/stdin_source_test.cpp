#include "source/stdin_source.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <string_view>
#include <thread>

#include <gtest/gtest.h>

#include "source_sink.hpp"

namespace arraycast {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view input = "1 2 3\n[[4.5],[6]]\nnot a packet\n7,8";  // the last line has no newline
const std::vector<std::vector<array_t>> expected{{{1, 2, 3}}, {{4.5}, {6}}, {{7, 8}}};

void write_all(int fd, std::string_view text) { ASSERT_EQ(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size())); }

TEST(stdin_source, reads_a_pipe_to_its_end) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  write_all(fds[1], input);
  ::close(fds[1]);
  net::io_context ioc;
  test::collecting_sink sink;
  {
    stdin_source source(ioc, source_config{}, fds[0]);
    source.start(sink);
    ioc.run_for(5s);
    EXPECT_EQ(sink.wait_ended(), 1);
    EXPECT_EQ(sink.packets(), expected);
    EXPECT_EQ(sink.rejected(), std::vector{reject_reason::bad_value});
  }
  EXPECT_EQ(::fcntl(fds[0], F_GETFL) & O_NONBLOCK, 0) << "the descriptor is left as it was found";
  ::close(fds[0]);
}

// epoll refuses a regular file: it is read on a thread.
TEST(stdin_source, reads_a_regular_file_to_its_end) {
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  write_all(::fileno(file), input);
  ASSERT_EQ(::lseek(::fileno(file), 0, SEEK_SET), 0);
  net::io_context ioc;
  test::collecting_sink sink;
  stdin_source source(ioc, source_config{}, ::fileno(file));
  source.start(sink);
  EXPECT_EQ(sink.wait_ended(), 1);
  EXPECT_EQ(sink.packets(), expected);
  source.stop();
  std::fclose(file);
}

TEST(stdin_source, stops_at_once_while_a_read_is_pending) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  net::io_context ioc;
  test::collecting_sink sink;
  auto source = std::make_unique<stdin_source>(ioc, source_config{}, fds[0]);
  source->start(sink);
  std::thread loop([&] { ioc.run(); });
  write_all(fds[1], "1 2\n");
  const auto begin = std::chrono::steady_clock::now();
  source->stop();
  source.reset();
  loop.join();  // the read was its last work: the loop ran out
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 1s);
  write_all(fds[1], "3 4\n");
  EXPECT_LE(sink.packets().size(), 1u);
  EXPECT_EQ(sink.ended_count(), 0) << "stopped is not ended";
  ::close(fds[0]);
  ::close(fds[1]);
}

}  // namespace
}  // namespace arraycast
