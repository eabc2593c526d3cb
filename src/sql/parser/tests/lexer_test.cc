#include "sql/parser/lexer.h"

#include <gtest/gtest.h>

namespace sluice::sql {
namespace {

std::vector<Token> Lex(std::string_view sql) {
  Result<std::vector<Token>> tokens = Tokenize(sql);
  EXPECT_TRUE(tokens.ok()) << tokens.status().ToString();
  return tokens.ok() ? std::move(tokens).value() : std::vector<Token>{};
}

std::vector<TokenKind> Kinds(const std::vector<Token>& tokens) {
  std::vector<TokenKind> kinds;
  for (const Token& token : tokens) kinds.push_back(token.kind);
  return kinds;
}

std::string LexError(std::string_view sql) {
  Result<std::vector<Token>> tokens = Tokenize(sql);
  EXPECT_FALSE(tokens.ok()) << "expected an error for: " << sql;
  if (tokens.ok()) return "";
  EXPECT_EQ(tokens.status().code(), ErrorCode::kSyntaxError);
  return tokens.status().message();
}

TEST(LexerTest, WordsKeepTheirSpelling) {
  std::vector<Token> tokens = Lex("SELECT myCol FROM t_1$x");
  ASSERT_EQ(tokens.size(), 5u);
  EXPECT_EQ(tokens[0].kind, TokenKind::kWord);
  EXPECT_EQ(tokens[0].text, "SELECT");
  EXPECT_EQ(tokens[1].text, "myCol");
  EXPECT_EQ(tokens[3].text, "t_1$x");
  EXPECT_EQ(tokens[4].kind, TokenKind::kEnd);
}

TEST(LexerTest, QuotedIdentifiersAndStringsAreUnescaped) {
  std::vector<Token> tokens = Lex("`my col` `a``b` 'it''s' ''");
  ASSERT_EQ(tokens.size(), 5u);
  EXPECT_EQ(tokens[0].kind, TokenKind::kQuotedIdentifier);
  EXPECT_EQ(tokens[0].text, "my col");
  EXPECT_EQ(tokens[1].text, "a`b");
  EXPECT_EQ(tokens[2].kind, TokenKind::kString);
  EXPECT_EQ(tokens[2].text, "it's");
  EXPECT_EQ(tokens[3].kind, TokenKind::kString);
  EXPECT_EQ(tokens[3].text, "");
}

TEST(LexerTest, NumbersAreClassified) {
  std::vector<Token> tokens = Lex("42 0.908 .5 7. 1e3 2.5E-4 3e+2");
  EXPECT_EQ(Kinds(tokens),
            (std::vector<TokenKind>{TokenKind::kInteger, TokenKind::kDecimal, TokenKind::kDecimal,
                                    TokenKind::kDecimal, TokenKind::kDouble, TokenKind::kDouble,
                                    TokenKind::kDouble, TokenKind::kEnd}));
  EXPECT_EQ(tokens[1].text, "0.908");
  EXPECT_EQ(tokens[5].text, "2.5E-4");
}

TEST(LexerTest, Operators) {
  std::vector<Token> tokens = Lex("= <> != < <= > >= || => + - * / % ( ) [ ] , ; .");
  EXPECT_EQ(
      Kinds(tokens),
      (std::vector<TokenKind>{
          TokenKind::kEq,       TokenKind::kNotEq,    TokenKind::kNotEq,  TokenKind::kLt,
          TokenKind::kLtEq,     TokenKind::kGt,       TokenKind::kGtEq,   TokenKind::kConcat,
          TokenKind::kArrow,    TokenKind::kPlus,     TokenKind::kMinus,  TokenKind::kStar,
          TokenKind::kSlash,    TokenKind::kPercent,  TokenKind::kLParen, TokenKind::kRParen,
          TokenKind::kLBracket, TokenKind::kRBracket, TokenKind::kComma,  TokenKind::kSemicolon,
          TokenKind::kDot,      TokenKind::kEnd}));
}

TEST(LexerTest, CommentsAreSkipped) {
  std::vector<Token> tokens = Lex("a -- line comment ; 'x'\n/* block\n comment */ b /*+ hint */ c");
  ASSERT_EQ(tokens.size(), 4u);
  EXPECT_EQ(tokens[0].text, "a");
  EXPECT_EQ(tokens[1].text, "b");
  EXPECT_EQ(tokens[2].text, "c");
}

TEST(LexerTest, MinusMinusInsideAnExpressionIsAComment) {
  // `1 --2` is 1 followed by a comment, exactly as in Flink.
  std::vector<Token> tokens = Lex("1 --2\n+ 3");
  EXPECT_EQ(Kinds(tokens), (std::vector<TokenKind>{TokenKind::kInteger, TokenKind::kPlus,
                                                   TokenKind::kInteger, TokenKind::kEnd}));
}

TEST(LexerTest, LocationsAreOneBasedLinesAndCharacterColumns) {
  std::vector<Token> tokens = Lex("SELECT\n  a,\n\t'é', b");
  ASSERT_EQ(tokens.size(), 7u);
  EXPECT_EQ(tokens[0].location, (SourceLocation{1, 1}));
  EXPECT_EQ(tokens[1].location, (SourceLocation{2, 3}));
  EXPECT_EQ(tokens[2].location, (SourceLocation{2, 4}));
  EXPECT_EQ(tokens[3].location, (SourceLocation{3, 2}));
  // 'é' is 4 bytes but 3 characters, so the comma is at column 5.
  EXPECT_EQ(tokens[4].location, (SourceLocation{3, 5}));
  EXPECT_EQ(tokens[5].location, (SourceLocation{3, 7}));
  // The end token sits just after the last character.
  EXPECT_EQ(tokens[6].location, (SourceLocation{3, 8}));
  EXPECT_EQ(tokens[3].begin, 13u);
  EXPECT_EQ(tokens[3].end, 17u);
}

TEST(LexerTest, UnterminatedStringNamesWhereItStarted) {
  EXPECT_EQ(LexError("SELECT\n  'abc"),
            "line 2, column 3: unterminated string literal starting here");
}

TEST(LexerTest, UnterminatedQuotedIdentifierNamesWhereItStarted) {
  EXPECT_EQ(LexError("a `b"), "line 1, column 3: unterminated quoted identifier starting here");
}

TEST(LexerTest, UnterminatedCommentNamesWhereItStarted) {
  EXPECT_EQ(LexError("a\n  /* never\nclosed"),
            "line 2, column 3: unterminated comment: '/*' is never closed by '*/'");
}

TEST(LexerTest, BadCharactersAreReported) {
  EXPECT_EQ(LexError("a $b"), "line 1, column 3: unexpected character '$'");
  EXPECT_EQ(LexError("a ^ b"), "line 1, column 3: unexpected character '^'");
  EXPECT_EQ(LexError("a\x01"), "line 1, column 2: unexpected control character 0x01");
  EXPECT_EQ(LexError("``"), "line 1, column 1: empty quoted identifier ``");
  EXPECT_NE(LexError("\"name\"").find("quote names with backquotes"), std::string::npos);
}

TEST(LexerTest, MalformedExponent) {
  EXPECT_EQ(LexError("1e+"),
            "line 1, column 1: malformed number '1e+': the exponent has no digits");
}

TEST(LexerTest, EmptyInputIsJustTheEnd) {
  std::vector<Token> tokens = Lex("  -- nothing\n");
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0].kind, TokenKind::kEnd);
  EXPECT_EQ(tokens[0].location, (SourceLocation{2, 1}));
}

TEST(LexerTest, EndOfInputSitsAfterTheLastToken) {
  std::vector<Token> tokens = Lex("SELECT a\nFROM   \n\n");
  ASSERT_EQ(tokens.size(), 4u);
  EXPECT_EQ(tokens[3].kind, TokenKind::kEnd);
  EXPECT_EQ(tokens[3].location, (SourceLocation{2, 5}));
}

TEST(LexerTest, ByteOrderMarkIsIgnored) {
  std::vector<Token> tokens = Lex("\xEF\xBB\xBFSELECT 1");
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(tokens[0].text, "SELECT");
  EXPECT_EQ(tokens[0].location, (SourceLocation{1, 1}));
}

TEST(LexerTest, DescribeToken) {
  std::string sql = "FROM 'abc' x";
  std::vector<Token> tokens = Lex(sql);
  EXPECT_EQ(DescribeToken(tokens[0], sql), "'FROM'");
  EXPECT_EQ(DescribeToken(tokens[1], sql), "'abc'");
  EXPECT_EQ(DescribeToken(tokens[3], sql), "end of input");
  std::string long_word = std::string(39, 'x') + "\xC3\xA9yyy";
  std::vector<Token> long_tokens = Lex(long_word);
  // Cut at 40 bytes without splitting the two-byte character that straddles the limit.
  EXPECT_EQ(DescribeToken(long_tokens[0], long_word), "'" + std::string(39, 'x') + "...'");
}

}  // namespace
}  // namespace sluice::sql
