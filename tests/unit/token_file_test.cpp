#include "auth/token_file.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace arraycast::auth {
namespace {

std::string error_of(std::string_view text) {
  try {
    parse_token_file(text, "tokens.txt");
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

TEST(token_file, parses_tokens_scopes_comments_and_blank_lines) {
  const auto tokens = parse_token_file("# devices\n\nabc read\r\n  def\tread publish admin  # the lab\n", "f");
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].scopes.text(), "read");
  EXPECT_EQ(tokens[1].scopes.text(), "read publish admin");
}

TEST(token_file, names_the_file_and_line_of_a_bad_line) {
  EXPECT_EQ(error_of("abc read\nlonely\n"), "tokens.txt:2: a token needs at least one scope (read, publish, admin)");
  EXPECT_EQ(error_of("# x\n\nabc read wrote\n"), "tokens.txt:3: word 3 is not a scope (known: read, publish, admin)");
}

TEST(token_file, finds_a_token_only_by_its_exact_text) {
  const auto path = std::filesystem::temp_directory_path() / ("arraycast-tokens-" + std::to_string(::getpid()));
  std::ofstream(path) << "s3cret-token read\nother admin\n";
  static_tokens tokens(path.string());
  ASSERT_TRUE(tokens.find("s3cret-token"));
  EXPECT_EQ(tokens.find("s3cret-token")->scopes.text(), "read");
  EXPECT_TRUE(tokens.find("s3cret-token")->name.empty());
  for (const char* wrong : {"", "s3cret-toke", "s3cret-token ", "S3CRET-TOKEN", "read"})
    EXPECT_FALSE(tokens.find(wrong)) << wrong;

  std::ofstream(path) << "s3cret-token read admin\n";
  tokens.reload();
  EXPECT_EQ(tokens.find("s3cret-token")->scopes.text(), "read admin");
  EXPECT_FALSE(tokens.find("other"));

  std::ofstream(path) << "broken\n";
  EXPECT_THROW(tokens.reload(), std::runtime_error);
  EXPECT_TRUE(tokens.find("s3cret-token"));  // a bad file keeps the tokens read before
  std::ofstream(path) << "";
  tokens.reload();
  EXPECT_FALSE(tokens.find("s3cret-token"));  // an emptied file revokes every token
  std::filesystem::remove(path);
  EXPECT_THROW(static_tokens("/nonexistent/tokens"), std::runtime_error);
}

}  // namespace
}  // namespace arraycast::auth
