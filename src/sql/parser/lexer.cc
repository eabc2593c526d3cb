#include "sql/parser/lexer.h"

#include <fmt/format.h>

namespace sluice::sql {
namespace {

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

// Bytes >= 0x80 belong to UTF-8 sequences; Calcite accepts Unicode letters in identifiers.
bool IsWordStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool IsWordPart(char c) {
  return IsWordStart(c) || IsDigit(c) || c == '$';
}

// Walks the text keeping the line/column of the current byte.
class Lexer {
 public:
  explicit Lexer(std::string_view sql) : sql_(sql) {}

  Result<std::vector<Token>> Run() {
    std::vector<Token> tokens;
    // A UTF-8 byte order mark (files saved by some editors) is not part of the text.
    if (sql_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
    SourceLocation after_last_token = location_;
    while (true) {
      SLUICE_RETURN_IF_ERROR(SkipBlanksAndComments());
      if (pos_ >= sql_.size()) break;
      Token token;
      token.location = location_;
      token.begin = pos_;
      SLUICE_RETURN_IF_ERROR(LexToken(&token));
      token.end = pos_;
      tokens.push_back(std::move(token));
      after_last_token = location_;
    }
    // "Unexpected end of input" points just after the last token, not at trailing blank lines.
    Token end;
    end.kind = TokenKind::kEnd;
    end.location = tokens.empty() ? location_ : after_last_token;
    end.begin = end.end = sql_.size();
    tokens.push_back(std::move(end));
    return tokens;
  }

 private:
  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < sql_.size() ? sql_[pos_ + ahead] : '\0';
  }

  void Advance() {
    char c = sql_[pos_++];
    if (c == '\n') {
      ++location_.line;
      location_.column = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      // Continuation bytes of a UTF-8 sequence do not start a new character.
      ++location_.column;
    }
  }

  Status Error(SourceLocation at, std::string_view what) const {
    return Status::SyntaxError(fmt::format("{}: {}", at.ToString(), what));
  }

  Status SkipBlanksAndComments() {
    while (pos_ < sql_.size()) {
      char c = Peek();
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        Advance();
      } else if (c == '-' && Peek(1) == '-') {
        while (pos_ < sql_.size() && Peek() != '\n') Advance();
      } else if (c == '/' && Peek(1) == '*') {
        SourceLocation start = location_;
        Advance();
        Advance();
        while (true) {
          if (pos_ >= sql_.size()) {
            return Error(start, "unterminated comment: '/*' is never closed by '*/'");
          }
          if (Peek() == '*' && Peek(1) == '/') {
            Advance();
            Advance();
            break;
          }
          Advance();
        }
      } else {
        break;
      }
    }
    return Status::OK();
  }

  // Reads a quoted run closed by `quote`, where a doubled quote stands for one.
  Status LexQuoted(char quote, std::string_view what, std::string* out) {
    SourceLocation start = location_;
    Advance();  // opening quote
    while (true) {
      if (pos_ >= sql_.size()) {
        return Error(start, fmt::format("unterminated {} starting here", what));
      }
      char c = Peek();
      if (c == quote) {
        if (Peek(1) == quote) {
          out->push_back(quote);
          Advance();
          Advance();
          continue;
        }
        Advance();
        return Status::OK();
      }
      out->push_back(c);
      Advance();
    }
  }

  Status LexNumber(Token* token) {
    SourceLocation start = location_;
    token->kind = TokenKind::kInteger;
    while (IsDigit(Peek())) Advance();
    if (Peek() == '.') {
      token->kind = TokenKind::kDecimal;
      Advance();
      while (IsDigit(Peek())) Advance();
    }
    if (Peek() == 'e' || Peek() == 'E') {
      size_t ahead = 1;
      if (Peek(1) == '+' || Peek(1) == '-') ahead = 2;
      if (!IsDigit(Peek(ahead))) {
        return Error(start, fmt::format("malformed number '{}': the exponent has no digits",
                                        sql_.substr(token->begin, pos_ + ahead - token->begin)));
      }
      token->kind = TokenKind::kDouble;
      for (size_t i = 0; i < ahead; ++i) Advance();
      while (IsDigit(Peek())) Advance();
    }
    token->text = std::string(sql_.substr(token->begin, pos_ - token->begin));
    return Status::OK();
  }

  void Single(Token* token, TokenKind kind, size_t length) {
    token->kind = kind;
    for (size_t i = 0; i < length; ++i) Advance();
    token->text = std::string(sql_.substr(token->begin, length));
  }

  Status LexToken(Token* token) {
    char c = Peek();
    if (IsWordStart(c)) {
      token->kind = TokenKind::kWord;
      while (pos_ < sql_.size() && IsWordPart(Peek())) Advance();
      token->text = std::string(sql_.substr(token->begin, pos_ - token->begin));
      return Status::OK();
    }
    if (IsDigit(c) || (c == '.' && IsDigit(Peek(1)))) return LexNumber(token);
    switch (c) {
      case '\'':
        token->kind = TokenKind::kString;
        return LexQuoted('\'', "string literal", &token->text);
      case '`': {
        token->kind = TokenKind::kQuotedIdentifier;
        SourceLocation start = location_;
        SLUICE_RETURN_IF_ERROR(LexQuoted('`', "quoted identifier", &token->text));
        if (token->text.empty()) return Error(start, "empty quoted identifier ``");
        return Status::OK();
      }
      case '"':
        return Error(location_,
                     "unexpected character '\"': quote names with backquotes (`name`) and "
                     "strings with single quotes ('text')");
      case '(':
        Single(token, TokenKind::kLParen, 1);
        return Status::OK();
      case ')':
        Single(token, TokenKind::kRParen, 1);
        return Status::OK();
      case '[':
        Single(token, TokenKind::kLBracket, 1);
        return Status::OK();
      case ']':
        Single(token, TokenKind::kRBracket, 1);
        return Status::OK();
      case ',':
        Single(token, TokenKind::kComma, 1);
        return Status::OK();
      case ';':
        Single(token, TokenKind::kSemicolon, 1);
        return Status::OK();
      case '.':
        Single(token, TokenKind::kDot, 1);
        return Status::OK();
      case '*':
        Single(token, TokenKind::kStar, 1);
        return Status::OK();
      case '+':
        Single(token, TokenKind::kPlus, 1);
        return Status::OK();
      case '-':
        Single(token, TokenKind::kMinus, 1);
        return Status::OK();
      case '/':
        Single(token, TokenKind::kSlash, 1);
        return Status::OK();
      case '%':
        Single(token, TokenKind::kPercent, 1);
        return Status::OK();
      case '=':
        if (Peek(1) == '>') {
          Single(token, TokenKind::kArrow, 2);
        } else {
          Single(token, TokenKind::kEq, 1);
        }
        return Status::OK();
      case '<':
        if (Peek(1) == '>') {
          Single(token, TokenKind::kNotEq, 2);
        } else if (Peek(1) == '=') {
          Single(token, TokenKind::kLtEq, 2);
        } else {
          Single(token, TokenKind::kLt, 1);
        }
        return Status::OK();
      case '>':
        if (Peek(1) == '=') {
          Single(token, TokenKind::kGtEq, 2);
        } else {
          Single(token, TokenKind::kGt, 1);
        }
        return Status::OK();
      case '!':
        if (Peek(1) == '=') {
          Single(token, TokenKind::kNotEq, 2);
          return Status::OK();
        }
        break;
      case '|':
        if (Peek(1) == '|') {
          Single(token, TokenKind::kConcat, 2);
          return Status::OK();
        }
        break;
      default:
        break;
    }
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return Error(location_, fmt::format("unexpected control character 0x{:02x}",
                                          static_cast<unsigned>(static_cast<unsigned char>(c))));
    }
    return Error(location_, fmt::format("unexpected character '{}'", c));
  }

  std::string_view sql_;
  size_t pos_ = 0;
  SourceLocation location_;
};

}  // namespace

Result<std::vector<Token>> Tokenize(std::string_view sql) {
  return Lexer(sql).Run();
}

std::string DescribeToken(const Token& token, std::string_view sql) {
  if (token.kind == TokenKind::kEnd) return "end of input";
  constexpr size_t kMaxShown = 40;
  std::string_view source = sql.substr(token.begin, token.end - token.begin);
  if (source.size() > kMaxShown) {
    size_t cut = kMaxShown;
    while (cut > 0 && (static_cast<unsigned char>(source[cut]) & 0xC0) == 0x80) --cut;
    return fmt::format("'{}...'", source.substr(0, cut));
  }
  if (token.kind == TokenKind::kString) return std::string(source);
  return fmt::format("'{}'", source);
}

}  // namespace sluice::sql
