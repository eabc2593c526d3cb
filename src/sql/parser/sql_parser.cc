// SqlParser: token cursor, error messages, names, and the whole-input entry points.

#include "sql/parser/sql_parser.h"

#include <fmt/format.h>

#include "sql/parser/keywords.h"

namespace sluice::sql {

SqlParser::SqlParser(std::string_view sql, std::vector<Token> tokens)
    : sql_(sql), tokens_(std::move(tokens)) {}

Status SqlParser::TooDeep() const {
  return ErrorAt(Current().location,
                 fmt::format("nesting is too deep (more than {} levels)", kMaxNesting));
}

Status SqlParser::CheckOperatorChain(size_t chain) const {
  if (static_cast<size_t>(depth_) + chain <= kMaxOperatorChain) return Status::OK();
  return ErrorAt(Current().location,
                 fmt::format("expression has too many chained operators (more than {}); write long "
                             "OR lists of comparisons as IN (...)",
                             kMaxOperatorChain));
}

Status SqlParser::NestingGuard::Enter() {
  if (parser_->depth_ >= kMaxNesting) return parser_->TooDeep();
  ++parser_->depth_;
  entered_ = true;
  return Status::OK();
}

// ---- Tokens -------------------------------------------------------------------------------------

const Token& SqlParser::Peek(size_t ahead) const {
  size_t index = pos_ + ahead;
  return index < tokens_.size() ? tokens_[index] : tokens_.back();
}

void SqlParser::Advance() {
  if (pos_ + 1 < tokens_.size()) ++pos_;
}

bool SqlParser::PeekKeyword(std::string_view keyword, size_t ahead) const {
  const Token& token = Peek(ahead);
  return token.kind == TokenKind::kWord && EqualsIgnoreCase(token.text, keyword);
}

bool SqlParser::AcceptKeyword(std::string_view keyword) {
  if (!PeekKeyword(keyword)) return false;
  Advance();
  return true;
}

bool SqlParser::Accept(TokenKind kind) {
  if (Current().kind != kind) return false;
  Advance();
  return true;
}

Status SqlParser::ExpectKeyword(std::string_view keyword) {
  if (AcceptKeyword(keyword)) return Status::OK();
  return ErrorExpected(keyword);
}

Status SqlParser::Expect(TokenKind kind, std::string_view what) {
  if (Accept(kind)) return Status::OK();
  return ErrorExpected(what);
}

bool SqlParser::PeekIdentifier(size_t ahead) const {
  const Token& token = Peek(ahead);
  if (token.kind == TokenKind::kQuotedIdentifier) return true;
  return token.kind == TokenKind::kWord && !IsReservedWord(token.text);
}

Status SqlParser::ErrorExpected(std::string_view expected) const {
  const Token& token = Current();
  if (token.kind == TokenKind::kEnd) {
    return ErrorAt(token.location, fmt::format("unexpected end of input, expected {}", expected));
  }
  return ErrorAt(token.location,
                 fmt::format("expected {} but found {}", expected, DescribeToken(token, sql_)));
}

Status SqlParser::ErrorAt(SourceLocation location, std::string_view message) const {
  return Status::SyntaxError(fmt::format("{}: {}", location.ToString(), message));
}

Status SqlParser::UnsupportedAt(SourceLocation location, std::string_view message) const {
  return Status::Unsupported(fmt::format("{}: {}", location.ToString(), message));
}

size_t SqlParser::PreviousEnd() const {
  return pos_ == 0 ? 0 : tokens_[pos_ - 1].end;
}

// ---- Names --------------------------------------------------------------------------------------

Result<Identifier> SqlParser::ParseIdentifier(std::string_view what) {
  const Token& token = Current();
  if (!PeekIdentifier()) {
    if (token.kind == TokenKind::kWord) {
      // A reserved word where a name belongs: say how to use it as a name anyway.
      return ErrorAt(token.location,
                     fmt::format("expected {} but found {} (a reserved keyword: write `{}` to use "
                                 "it as a name)",
                                 what, DescribeToken(token, sql_), token.text));
    }
    return ErrorExpected(what);
  }
  Identifier identifier{token.text, token.kind == TokenKind::kQuotedIdentifier, token.location};
  Advance();
  return identifier;
}

Result<QualifiedName> SqlParser::ParseQualifiedName(std::string_view what) {
  QualifiedName name;
  SLUICE_ASSIGN_OR_RETURN(Identifier first, ParseIdentifier(what));
  name.parts.push_back(std::move(first));
  while (PeekIs(TokenKind::kDot) && Peek(1).kind != TokenKind::kStar) {
    Advance();
    SLUICE_ASSIGN_OR_RETURN(Identifier part, ParseIdentifier("a name after '.'"));
    name.parts.push_back(std::move(part));
  }
  return name;
}

Result<std::vector<Identifier>> SqlParser::ParseIdentifierList(std::string_view what) {
  SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kLParen, "'('"));
  std::vector<Identifier> out;
  do {
    SLUICE_ASSIGN_OR_RETURN(Identifier identifier, ParseIdentifier(what));
    out.push_back(std::move(identifier));
  } while (Accept(TokenKind::kComma));
  SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "',' or ')'"));
  return out;
}

Result<std::string> SqlParser::ParseStringLiteral(std::string_view what) {
  if (!PeekIs(TokenKind::kString)) return ErrorExpected(what);
  std::string text = Current().text;
  Advance();
  return text;
}

// ---- Whole inputs -------------------------------------------------------------------------------

bool SqlParser::AtStatementEnd() const {
  return PeekIs(TokenKind::kSemicolon) || PeekIs(TokenKind::kEnd);
}

Result<Script> SqlParser::ParseWholeScript() {
  Script script;
  while (true) {
    while (Accept(TokenKind::kSemicolon)) {
    }
    if (AtEnd()) break;
    SLUICE_ASSIGN_OR_RETURN(Statement statement, ParseStatement());
    script.statements.push_back(std::move(statement));
    if (!AtStatementEnd()) return ErrorExpected("';' or the end of the statement");
  }
  return script;
}

Result<Statement> SqlParser::ParseWholeStatement() {
  while (Accept(TokenKind::kSemicolon)) {
  }
  if (AtEnd()) return ErrorExpected("a statement");
  SLUICE_ASSIGN_OR_RETURN(Statement statement, ParseStatement());
  while (Accept(TokenKind::kSemicolon)) {
  }
  if (!AtEnd()) return ErrorExpected("the end of the statement");
  return statement;
}

Result<QueryExprPtr> SqlParser::ParseWholeQuery() {
  if (AtEnd()) return ErrorExpected("a query");
  SLUICE_ASSIGN_OR_RETURN(QueryExprPtr query, ParseQueryExpr());
  Accept(TokenKind::kSemicolon);
  if (!AtEnd()) return ErrorExpected("the end of the query");
  return query;
}

Result<ExprNodePtr> SqlParser::ParseWholeExpression() {
  SLUICE_ASSIGN_OR_RETURN(ExprNodePtr expr, ParseExpr());
  if (!AtEnd()) return ErrorExpected("an operator or the end of the expression");
  return expr;
}

Result<DataType> SqlParser::ParseWholeDataType() {
  SLUICE_ASSIGN_OR_RETURN(DataType type, ParseDataType());
  if (!AtEnd()) return ErrorExpected("the end of the data type");
  return type;
}

}  // namespace sluice::sql
