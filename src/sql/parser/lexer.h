#pragma once
// Lexer: Flink SQL text -> tokens. Words are not classified into keywords here; the parser matches
// them case-insensitively where the grammar expects a keyword (see keywords.h), so any word can
// still be a name elsewhere.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "sql/parser/ast.h"

namespace sluice::sql {

enum class TokenKind : uint8_t {
  kWord,              // unquoted identifier or keyword; text as written
  kQuotedIdentifier,  // `...`; text without quotes, `` unescaped
  kString,            // '...'; text without quotes, '' unescaped
  kInteger,           // 42
  kDecimal,           // 4.2  .5  4.
  kDouble,            // 4e2  4.2E-1
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kComma,
  kSemicolon,
  kDot,
  kStar,
  kPlus,
  kMinus,
  kSlash,
  kPercent,
  kEq,
  kNotEq,  // <> or !=
  kLt,
  kLtEq,
  kGt,
  kGtEq,
  kConcat,  // ||
  kArrow,   // => (named table-function arguments)
  kEnd,     // end of input; located just after the last token (or at the end of a blank input)
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;
  SourceLocation location;
  size_t begin = 0;  // byte offsets of the token in the source, [begin, end)
  size_t end = 0;
};

/// Splits `sql` into tokens, dropping blanks and comments (`-- ...`, `/* ... */`; table hints
/// `/*+ ... */` are comments too). The last token is always kEnd. Errors are SyntaxErrors
/// prefixed with "line L, column C: ": unterminated strings, quoted identifiers and comments
/// (located where they start), malformed numbers and characters that cannot start a token.
Result<std::vector<Token>> Tokenize(std::string_view sql);

/// How a token is shown in "found ..." messages: 'FROM', 'abc' (strings keep their quotes),
/// "end of input". Long tokens are cut to 40 characters.
std::string DescribeToken(const Token& token, std::string_view sql);

}  // namespace sluice::sql
