#include "exec/functions/like_pattern.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

bool Like(std::string_view s, std::string_view pattern,
          std::optional<std::string_view> escape = std::nullopt) {
  return LikePattern::Compile(pattern, escape).value().Matches(s);
}

TEST(LikePatternTest, SimpleShapes) {
  EXPECT_TRUE(Like("completed", "completed"));
  EXPECT_FALSE(Like("completed!", "completed"));
  EXPECT_TRUE(Like("abcdef", "abc%"));
  EXPECT_FALSE(Like("xabc", "abc%"));
  EXPECT_TRUE(Like("xxabc", "%abc"));
  EXPECT_FALSE(Like("abcx", "%abc"));
  EXPECT_TRUE(Like("xxabcxx", "%abc%"));
  EXPECT_FALSE(Like("ab", "%abc%"));
  EXPECT_TRUE(Like("", "%"));
  EXPECT_TRUE(Like("anything", "%"));
  EXPECT_TRUE(Like("", ""));
  EXPECT_FALSE(Like("a", ""));
}

TEST(LikePatternTest, Wildcards) {
  EXPECT_TRUE(Like("abc", "a_c"));
  EXPECT_FALSE(Like("abbc", "a_c"));
  EXPECT_TRUE(Like("a1b22c", "a%b%c"));
  EXPECT_FALSE(Like("a1b22", "a%b%c"));
  EXPECT_TRUE(Like("abcabc", "%b_a%"));
  EXPECT_TRUE(Like("mississippi", "m%ss%pi"));
  EXPECT_FALSE(Like("mississippi", "m%ss%pix"));
  EXPECT_TRUE(Like("abc", "%__"));
  EXPECT_FALSE(Like("a", "%__"));
  EXPECT_TRUE(Like("xaby", "%a_y"));
  EXPECT_TRUE(Like("aXbXc", "a%%c"));
}

TEST(LikePatternTest, UnderscoreIsOneCharacterNotOneByte) {
  EXPECT_TRUE(Like("caf\xC3\xA9", "caf_"));  // café
  EXPECT_FALSE(Like("caf\xC3\xA9", "caf__"));
  EXPECT_TRUE(Like("\xE4\xB8\xAD\xE6\x96\x87", "__"));  // two CJK characters
}

TEST(LikePatternTest, Escape) {
  EXPECT_TRUE(Like("100%", "100!%", "!"));
  EXPECT_FALSE(Like("1000", "100!%", "!"));
  EXPECT_TRUE(Like("a_b", "a!_b", "!"));
  EXPECT_FALSE(Like("axb", "a!_b", "!"));
  EXPECT_TRUE(Like("a!b", "a!!b", "!"));
  EXPECT_TRUE(Like("50% off", "%!%%", "!"));
  // Without ESCAPE a backslash is an ordinary character (as Flink).
  EXPECT_TRUE(Like("a\\b", "a\\b"));
}

TEST(LikePatternTest, InvalidEscapes) {
  Result<LikePattern> p = LikePattern::Compile("abc!", std::string_view("!"));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), ErrorCode::kRuntimeError);
  EXPECT_FALSE(LikePattern::Compile("a!bc", std::string_view("!")).ok());
  EXPECT_FALSE(LikePattern::Compile("abc", std::string_view("!!")).ok());
  EXPECT_FALSE(LikePattern::Compile("abc", std::string_view("")).ok());
}

}  // namespace
}  // namespace sluice
