// SqlParser: scalar expressions, one method per precedence level (loosest first), then primaries
// and the special call syntaxes (CAST, CASE, EXTRACT, TRIM, INTERVAL, ...).

#include <fmt/format.h>

#include "sql/parser/keywords.h"
#include "sql/parser/sql_parser.h"

namespace sluice::sql {
namespace {

ExprNodePtr MakeNode(ExprNodeKind kind, SourceLocation location) {
  auto node = std::make_unique<ExprNode>();
  node->kind = kind;
  node->location = location;
  return node;
}

ExprNodePtr MakeBinary(ExprOp op, ExprNodePtr left, ExprNodePtr right) {
  auto node = MakeNode(ExprNodeKind::kBinary, left->location);
  node->op = op;
  node->args.push_back(std::move(left));
  node->args.push_back(std::move(right));
  return node;
}

ExprNodePtr MakeLiteral(LiteralKind kind, std::string value, SourceLocation location) {
  auto node = MakeNode(ExprNodeKind::kLiteral, location);
  node->literal_kind = kind;
  node->value = std::move(value);
  return node;
}

// Calls whose argument lists are not plain comma lists.
constexpr std::string_view kSpecialCalls[] = {
    "CEIL",      "CEILING",      "EXTRACT",       "FLOOR", "POSITION",
    "SUBSTRING", "TIMESTAMPADD", "TIMESTAMPDIFF", "TRIM",
};

bool IsSpecialCall(std::string_view upper) {
  for (std::string_view name : kSpecialCalls) {
    if (name == upper) return true;
  }
  return false;
}

// Interval qualifiers only use these six units (the plural spellings map to them too).
bool IsIntervalUnit(TimeUnit unit) {
  return unit == TimeUnit::kYear || unit == TimeUnit::kMonth || unit == TimeUnit::kDay ||
         unit == TimeUnit::kHour || unit == TimeUnit::kMinute || unit == TimeUnit::kSecond;
}

// `start TO end` is valid when end is a finer unit of the same family.
bool IsValidIntervalRange(TimeUnit start, TimeUnit end) {
  if (start == TimeUnit::kYear) return end == TimeUnit::kMonth;
  if (start == TimeUnit::kDay) {
    return end == TimeUnit::kHour || end == TimeUnit::kMinute || end == TimeUnit::kSecond;
  }
  if (start == TimeUnit::kHour) return end == TimeUnit::kMinute || end == TimeUnit::kSecond;
  if (start == TimeUnit::kMinute) return end == TimeUnit::kSecond;
  return false;
}

}  // namespace

Result<ExprNodePtr> SqlParser::ParseExpr() {
  NestingGuard guard(this);
  SLUICE_RETURN_IF_ERROR(guard.Enter());
  return ParseOr();
}

Result<ExprNodePtr> SqlParser::ParseOr() {
  SLUICE_ASSIGN_OR_RETURN(ExprNodePtr left, ParseAnd());
  for (size_t chain = 1; AcceptKeyword("OR"); ++chain) {
    SLUICE_RETURN_IF_ERROR(CheckOperatorChain(chain));
    SLUICE_ASSIGN_OR_RETURN(ExprNodePtr right, ParseAnd());
    left = MakeBinary(ExprOp::kOr, std::move(left), std::move(right));
  }
  return left;
}

Result<ExprNodePtr> SqlParser::ParseAnd() {
  SLUICE_ASSIGN_OR_RETURN(ExprNodePtr left, ParseNot());
  for (size_t chain = 1; AcceptKeyword("AND"); ++chain) {
    SLUICE_RETURN_IF_ERROR(CheckOperatorChain(chain));
    SLUICE_ASSIGN_OR_RETURN(ExprNodePtr right, ParseNot());
    left = MakeBinary(ExprOp::kAnd, std::move(left), std::move(right));
  }
  return left;
}

Result<ExprNodePtr> SqlParser::ParseNot() {
  // Iterative, so `NOT NOT NOT ...` cannot exhaust the stack.
  std::vector<SourceLocation> nots;
  while (PeekKeyword("NOT")) {
    if (depth_ + static_cast<int>(nots.size()) >= kMaxNesting) return TooDeep();
    nots.push_back(Current().location);
    Advance();
  }
  SLUICE_ASSIGN_OR_RETURN(ExprNodePtr expr, ParseComparison());
  for (auto it = nots.rbegin(); it != nots.rend(); ++it) {
    auto node = MakeNode(ExprNodeKind::kUnary, *it);
    node->op = ExprOp::kNot;
    node->args.push_back(std::move(expr));
    expr = std::move(node);
  }
  return expr;
}

Result<ExprNodePtr> SqlParser::ParseComparison() {
  SLUICE_ASSIGN_OR_RETURN(ExprNodePtr left, ParseConcat());
  for (size_t chain = 1;; ++chain) {
    SLUICE_RETURN_IF_ERROR(CheckOperatorChain(chain));
    ExprOp op = ExprOp::kNone;
    switch (Current().kind) {
      case TokenKind::kEq:
        op = ExprOp::kEq;
        break;
      case TokenKind::kNotEq:
        op = ExprOp::kNotEq;
        break;
      case TokenKind::kLt:
        op = ExprOp::kLt;
        break;
      case TokenKind::kLtEq:
        op = ExprOp::kLtEq;
        break;
      case TokenKind::kGt:
        op = ExprOp::kGt;
        break;
      case TokenKind::kGtEq:
        op = ExprOp::kGtEq;
        break;
      default:
        break;
    }
    if (op != ExprOp::kNone) {
      Advance();
      SLUICE_ASSIGN_OR_RETURN(ExprNodePtr right, ParseConcat());
      left = MakeBinary(op, std::move(left), std::move(right));
      continue;
    }
    SourceLocation location = left->location;
    if (AcceptKeyword("IS")) {
      bool negated = AcceptKeyword("NOT");
      ExprNodePtr node;
      if (AcceptKeyword("NULL")) {
        node = MakeNode(ExprNodeKind::kIsNull, location);
      } else if (AcceptKeyword("TRUE")) {
        node = MakeNode(ExprNodeKind::kIsTrue, location);
      } else if (AcceptKeyword("FALSE")) {
        node = MakeNode(ExprNodeKind::kIsFalse, location);
      } else if (AcceptKeyword("UNKNOWN")) {
        node = MakeNode(ExprNodeKind::kIsUnknown, location);
      } else if (AcceptKeyword("DISTINCT")) {
        SLUICE_RETURN_IF_ERROR(ExpectKeyword("FROM"));
        node = MakeNode(ExprNodeKind::kIsDistinctFrom, location);
        node->args.push_back(std::move(left));
        SLUICE_ASSIGN_OR_RETURN(ExprNodePtr right, ParseConcat());
        node->args.push_back(std::move(right));
        node->negated = negated;
        left = std::move(node);
        continue;
      } else {
        return ErrorExpected(negated ? "NULL, TRUE, FALSE, UNKNOWN or DISTINCT FROM after IS NOT"
                                     : "NULL, TRUE, FALSE, UNKNOWN or DISTINCT FROM after IS");
      }
      node->negated = negated;
      node->args.push_back(std::move(left));
      left = std::move(node);
      continue;
    }
    bool negated = false;
    if (PeekKeyword("NOT") && (PeekKeyword("BETWEEN", 1) || PeekKeyword("IN", 1) ||
                               PeekKeyword("LIKE", 1) || PeekKeyword("SIMILAR", 1))) {
      Advance();
      negated = true;
    }
    if (AcceptKeyword("BETWEEN")) {
      if (PeekKeyword("SYMMETRIC")) {
        return UnsupportedAt(Current().location, "BETWEEN SYMMETRIC is not supported yet");
      }
      AcceptKeyword("ASYMMETRIC");
      auto node = MakeNode(ExprNodeKind::kBetween, location);
      node->negated = negated;
      node->args.push_back(std::move(left));
      SLUICE_ASSIGN_OR_RETURN(ExprNodePtr low, ParseConcat());
      node->args.push_back(std::move(low));
      SLUICE_RETURN_IF_ERROR(ExpectKeyword("AND"));
      SLUICE_ASSIGN_OR_RETURN(ExprNodePtr high, ParseConcat());
      node->args.push_back(std::move(high));
      left = std::move(node);
      continue;
    }
    if (PeekKeyword("IN")) {
      Advance();
      if (!PeekIs(TokenKind::kLParen)) return ErrorExpected("'(' after IN");
      ExprNodePtr node;
      if (IsSubqueryAhead()) {
        Advance();
        node = MakeNode(ExprNodeKind::kInSubquery, location);
        SLUICE_ASSIGN_OR_RETURN(node->subquery, ParseQueryExpr());
        node->args.push_back(std::move(left));
      } else {
        Advance();
        node = MakeNode(ExprNodeKind::kInList, location);
        node->args.push_back(std::move(left));
        SLUICE_ASSIGN_OR_RETURN(std::vector<ExprNodePtr> list, ParseExprList());
        for (ExprNodePtr& item : list) node->args.push_back(std::move(item));
      }
      SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "',' or ')'"));
      node->negated = negated;
      left = std::move(node);
      continue;
    }
    bool like = PeekKeyword("LIKE");
    if (like || PeekKeyword("SIMILAR")) {
      Advance();
      if (!like) SLUICE_RETURN_IF_ERROR(ExpectKeyword("TO"));
      auto node = MakeNode(like ? ExprNodeKind::kLike : ExprNodeKind::kSimilarTo, location);
      node->negated = negated;
      node->args.push_back(std::move(left));
      SLUICE_ASSIGN_OR_RETURN(ExprNodePtr pattern, ParseConcat());
      node->args.push_back(std::move(pattern));
      if (AcceptKeyword("ESCAPE")) {
        SLUICE_ASSIGN_OR_RETURN(ExprNodePtr escape, ParseConcat());
        node->args.push_back(std::move(escape));
      }
      left = std::move(node);
      continue;
    }
    return left;
  }
}

Result<ExprNodePtr> SqlParser::ParseConcat() {
  SLUICE_ASSIGN_OR_RETURN(ExprNodePtr left, ParseAdditive());
  for (size_t chain = 1; Accept(TokenKind::kConcat); ++chain) {
    SLUICE_RETURN_IF_ERROR(CheckOperatorChain(chain));
    SLUICE_ASSIGN_OR_RETURN(ExprNodePtr right, ParseAdditive());
    left = MakeBinary(ExprOp::kConcat, std::move(left), std::move(right));
  }
  return left;
}

Result<ExprNodePtr> SqlParser::ParseAdditive() {
  SLUICE_ASSIGN_OR_RETURN(ExprNodePtr left, ParseMultiplicative());
  for (size_t chain = 1; PeekIs(TokenKind::kPlus) || PeekIs(TokenKind::kMinus); ++chain) {
    SLUICE_RETURN_IF_ERROR(CheckOperatorChain(chain));
    ExprOp op = PeekIs(TokenKind::kPlus) ? ExprOp::kAdd : ExprOp::kSub;
    Advance();
    SLUICE_ASSIGN_OR_RETURN(ExprNodePtr right, ParseMultiplicative());
    left = MakeBinary(op, std::move(left), std::move(right));
  }
  return left;
}

Result<ExprNodePtr> SqlParser::ParseMultiplicative() {
  SLUICE_ASSIGN_OR_RETURN(ExprNodePtr left, ParseUnary());
  for (size_t chain = 1;; ++chain) {
    ExprOp op = ExprOp::kNone;
    if (PeekIs(TokenKind::kStar)) op = ExprOp::kMul;
    if (PeekIs(TokenKind::kSlash)) op = ExprOp::kDiv;
    if (PeekIs(TokenKind::kPercent)) op = ExprOp::kMod;
    if (op == ExprOp::kNone) return left;
    SLUICE_RETURN_IF_ERROR(CheckOperatorChain(chain));
    Advance();
    SLUICE_ASSIGN_OR_RETURN(ExprNodePtr right, ParseUnary());
    left = MakeBinary(op, std::move(left), std::move(right));
  }
}

Result<ExprNodePtr> SqlParser::ParseUnary() {
  // Iterative for the same reason as ParseNot.
  std::vector<std::pair<ExprOp, SourceLocation>> signs;
  while (PeekIs(TokenKind::kMinus) || PeekIs(TokenKind::kPlus)) {
    if (depth_ + static_cast<int>(signs.size()) >= kMaxNesting) return TooDeep();
    signs.emplace_back(PeekIs(TokenKind::kMinus) ? ExprOp::kNegate : ExprOp::kPlus,
                       Current().location);
    Advance();
  }
  SLUICE_ASSIGN_OR_RETURN(ExprNodePtr expr, ParsePrimary());
  if (PeekIs(TokenKind::kLBracket)) {
    return UnsupportedAt(Current().location,
                         "array and map subscripts ([...]) are not supported "
                         "yet");
  }
  for (auto it = signs.rbegin(); it != signs.rend(); ++it) {
    auto node = MakeNode(ExprNodeKind::kUnary, it->second);
    node->op = it->first;
    node->args.push_back(std::move(expr));
    expr = std::move(node);
  }
  return expr;
}

Result<ExprNodePtr> SqlParser::ParsePrimary() {
  const Token& token = Current();
  SourceLocation location = token.location;
  switch (token.kind) {
    case TokenKind::kInteger:
    case TokenKind::kDecimal:
    case TokenKind::kDouble: {
      LiteralKind kind = token.kind == TokenKind::kInteger   ? LiteralKind::kInteger
                         : token.kind == TokenKind::kDecimal ? LiteralKind::kDecimal
                                                             : LiteralKind::kDouble;
      auto node = MakeLiteral(kind, token.text, location);
      Advance();
      return node;
    }
    case TokenKind::kString: {
      auto node = MakeLiteral(LiteralKind::kString, token.text, location);
      Advance();
      return node;
    }
    case TokenKind::kLParen:
      return ParseParenthesized();
    case TokenKind::kQuotedIdentifier:
      return ParseNameOrCall();
    case TokenKind::kWord:
      break;
    default:
      return ErrorExpected("an expression");
  }

  std::string upper = ToUpperAscii(token.text);
  bool call_follows = PeekIs(TokenKind::kLParen, 1);
  if (upper == "NULL") {
    Advance();
    return MakeLiteral(LiteralKind::kNull, "", location);
  }
  if (upper == "TRUE" || upper == "FALSE") {
    Advance();
    return MakeLiteral(LiteralKind::kBoolean, upper, location);
  }
  if (upper == "CASE") return ParseCase();
  if (upper == "CAST") return ParseCast(false);
  if (upper == "TRY_CAST" && call_follows) return ParseCast(true);
  if (upper == "EXISTS") {
    Advance();
    if (!IsSubqueryAhead()) return ErrorExpected("a subquery in parentheses after EXISTS");
    Advance();
    auto node = MakeNode(ExprNodeKind::kExists, location);
    SLUICE_ASSIGN_OR_RETURN(node->subquery, ParseQueryExpr());
    SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')'"));
    return node;
  }
  if (upper == "INTERVAL") return ParseIntervalLiteral();
  if (PeekIs(TokenKind::kString, 1)) {
    if (upper == "DATE") return ParseTypedLiteral(LiteralKind::kDate);
    if (upper == "TIME") return ParseTypedLiteral(LiteralKind::kTime);
    if (upper == "TIMESTAMP") return ParseTypedLiteral(LiteralKind::kTimestamp);
  }
  if ((upper == "ARRAY" || upper == "MAP") && PeekIs(TokenKind::kLBracket, 1)) {
    return UnsupportedAt(location,
                         fmt::format("{}[...] constructors are not supported yet", upper));
  }
  if (call_follows && IsSpecialCall(upper)) return ParseSpecialCall(upper, location);
  if (!call_follows && IsNiladicFunction(upper)) {
    Advance();
    auto node = MakeNode(ExprNodeKind::kFunctionCall, location);
    node->name.parts.push_back({upper, false, location});
    return node;
  }
  if (call_follows && (upper == "LEFT" || upper == "RIGHT")) {
    // String functions that share their name with join keywords.
    QualifiedName name;
    name.parts.push_back({token.text, false, location});
    Advance();
    return ParseFunctionCall(std::move(name));
  }
  if (IsReservedWord(token.text)) return ErrorExpected("an expression");
  return ParseNameOrCall();
}

Result<ExprNodePtr> SqlParser::ParseParenthesized() {
  SourceLocation location = Current().location;
  if (IsSubqueryAhead()) {
    Advance();
    auto node = MakeNode(ExprNodeKind::kScalarSubquery, location);
    SLUICE_ASSIGN_OR_RETURN(node->subquery, ParseQueryExpr());
    SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')'"));
    return node;
  }
  SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kLParen, "'('"));
  SLUICE_ASSIGN_OR_RETURN(ExprNodePtr inner, ParseExpr());
  if (PeekIs(TokenKind::kComma)) {
    return UnsupportedAt(Current().location,
                         "row values ((a, b, ...)) are not supported yet in expressions");
  }
  SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')'"));
  return inner;
}

Result<ExprNodePtr> SqlParser::ParseTypedLiteral(LiteralKind kind) {
  SourceLocation location = Current().location;
  Advance();  // DATE / TIME / TIMESTAMP
  std::string value = Current().text;
  Advance();  // the string
  return MakeLiteral(kind, std::move(value), location);
}

Result<ExprNodePtr> SqlParser::ParseNameOrCall() {
  SourceLocation location = Current().location;
  SLUICE_ASSIGN_OR_RETURN(QualifiedName name, ParseQualifiedName("a name"));
  if (PeekIs(TokenKind::kLParen)) return ParseFunctionCall(std::move(name));
  auto node = MakeNode(ExprNodeKind::kColumnRef, location);
  node->name = std::move(name);
  return node;
}

Result<ExprNodePtr> SqlParser::ParseFunctionCall(QualifiedName name) {
  auto call = MakeNode(ExprNodeKind::kFunctionCall, name.location());
  call->name = std::move(name);
  SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kLParen, "'('"));
  if (!Accept(TokenKind::kRParen)) {
    if (PeekIs(TokenKind::kStar) && PeekIs(TokenKind::kRParen, 1)) {
      Advance();
      call->star_argument = true;
    } else {
      if (AcceptKeyword("DISTINCT")) {
        call->distinct = true;
      } else {
        AcceptKeyword("ALL");
      }
      SLUICE_ASSIGN_OR_RETURN(call->args, ParseExprList());
    }
    SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "',' or ')'"));
  }
  SLUICE_RETURN_IF_ERROR(ParseCallSuffix(call.get()));
  return call;
}

Status SqlParser::ParseCallSuffix(ExprNode* call) {
  if (PeekKeyword("WITHIN") && PeekKeyword("GROUP", 1)) {
    return UnsupportedAt(Current().location, "WITHIN GROUP is not supported yet");
  }
  if (PeekKeyword("FILTER") && PeekIs(TokenKind::kLParen, 1)) {
    Advance();
    Advance();
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("WHERE"));
    SLUICE_ASSIGN_OR_RETURN(call->filter, ParseExpr());
    SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')'"));
  }
  if (AcceptKeyword("OVER")) {
    if (!PeekIs(TokenKind::kLParen)) {
      return UnsupportedAt(Current().location,
                           "named windows (OVER w) are not supported yet; "
                           "write OVER (...) inline");
    }
    SLUICE_ASSIGN_OR_RETURN(call->over, ParseWindowSpec());
  }
  return Status::OK();
}

Result<std::unique_ptr<WindowSpec>> SqlParser::ParseWindowSpec() {
  auto spec = std::make_unique<WindowSpec>();
  spec->location = Current().location;
  SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kLParen, "'('"));
  if (AcceptKeyword("PARTITION")) {
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("BY"));
    SLUICE_ASSIGN_OR_RETURN(spec->partition_by, ParseExprList());
  }
  if (AcceptKeyword("ORDER")) {
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("BY"));
    SLUICE_ASSIGN_OR_RETURN(spec->order_by, ParseOrderByList());
  }
  bool rows = PeekKeyword("ROWS");
  if (rows || PeekKeyword("RANGE")) {
    Advance();
    spec->has_frame = true;
    spec->frame.unit = rows ? FrameUnit::kRows : FrameUnit::kRange;
    if (AcceptKeyword("BETWEEN")) {
      SLUICE_ASSIGN_OR_RETURN(spec->frame.start, ParseFrameBound());
      SLUICE_RETURN_IF_ERROR(ExpectKeyword("AND"));
      SLUICE_ASSIGN_OR_RETURN(spec->frame.end, ParseFrameBound());
    } else {
      SLUICE_ASSIGN_OR_RETURN(spec->frame.start, ParseFrameBound());
      spec->frame.end.kind = FrameBound::Kind::kCurrentRow;
    }
  }
  SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')'"));
  return spec;
}

Result<FrameBound> SqlParser::ParseFrameBound() {
  FrameBound bound;
  if (AcceptKeyword("UNBOUNDED")) {
    if (AcceptKeyword("PRECEDING")) {
      bound.kind = FrameBound::Kind::kUnboundedPreceding;
    } else if (AcceptKeyword("FOLLOWING")) {
      bound.kind = FrameBound::Kind::kUnboundedFollowing;
    } else {
      return ErrorExpected("PRECEDING or FOLLOWING");
    }
    return bound;
  }
  if (AcceptKeyword("CURRENT")) {
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("ROW"));
    bound.kind = FrameBound::Kind::kCurrentRow;
    return bound;
  }
  SLUICE_ASSIGN_OR_RETURN(bound.offset, ParseAdditive());
  if (AcceptKeyword("PRECEDING")) {
    bound.kind = FrameBound::Kind::kPreceding;
  } else if (AcceptKeyword("FOLLOWING")) {
    bound.kind = FrameBound::Kind::kFollowing;
  } else {
    return ErrorExpected("PRECEDING or FOLLOWING");
  }
  return bound;
}

Result<ExprNodePtr> SqlParser::ParseCase() {
  auto node = MakeNode(ExprNodeKind::kCase, Current().location);
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("CASE"));
  if (!PeekKeyword("WHEN")) {
    SLUICE_ASSIGN_OR_RETURN(node->case_operand, ParseExpr());
  }
  while (AcceptKeyword("WHEN")) {
    WhenClause when;
    SLUICE_ASSIGN_OR_RETURN(when.condition, ParseExpr());
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("THEN"));
    SLUICE_ASSIGN_OR_RETURN(when.result, ParseExpr());
    node->when_clauses.push_back(std::move(when));
  }
  if (node->when_clauses.empty()) return ErrorExpected("WHEN");
  if (AcceptKeyword("ELSE")) {
    SLUICE_ASSIGN_OR_RETURN(node->else_result, ParseExpr());
  }
  if (!AcceptKeyword("END")) return ErrorExpected("WHEN, ELSE or END");
  return node;
}

Result<ExprNodePtr> SqlParser::ParseCast(bool try_cast) {
  auto node = MakeNode(ExprNodeKind::kCast, Current().location);
  node->try_cast = try_cast;
  Advance();  // CAST / TRY_CAST
  SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kLParen, "'('"));
  SLUICE_ASSIGN_OR_RETURN(ExprNodePtr operand, ParseExpr());
  node->args.push_back(std::move(operand));
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("AS"));
  SLUICE_ASSIGN_OR_RETURN(DataType type, ParseDataType());
  node->cast_type = std::make_unique<DataType>(std::move(type));
  SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')'"));
  return node;
}

Result<ExprNodePtr> SqlParser::ParseIntervalLiteral() {
  auto node = MakeNode(ExprNodeKind::kLiteral, Current().location);
  node->literal_kind = LiteralKind::kInterval;
  Advance();  // INTERVAL
  bool negative = false;
  if (Accept(TokenKind::kMinus)) {
    negative = true;
  } else {
    Accept(TokenKind::kPlus);
  }
  // Flink writes the value quoted ('10'); a bare number is accepted too.
  if (!PeekIs(TokenKind::kString) && !PeekIs(TokenKind::kInteger) && !PeekIs(TokenKind::kDecimal)) {
    return ErrorExpected("a quoted interval value like '10'");
  }
  node->value = (negative ? "-" : "") + Current().text;
  Advance();
  SLUICE_ASSIGN_OR_RETURN(node->interval, ParseIntervalQualifier());
  return node;
}

Result<IntervalQualifier> SqlParser::ParseIntervalQualifier() {
  constexpr std::string_view kUnits = "an interval unit (YEAR, MONTH, DAY, HOUR, MINUTE or SECOND)";
  IntervalQualifier qualifier;
  SourceLocation location = Current().location;
  TimeUnit start = PeekIs(TokenKind::kWord) ? TimeUnitFromWord(Current().text) : TimeUnit::kNone;
  if (!IsIntervalUnit(start)) return ErrorExpected(kUnits);
  Advance();
  qualifier.start = qualifier.end = start;
  if (Accept(TokenKind::kLParen)) {
    SLUICE_ASSIGN_OR_RETURN(qualifier.leading_precision,
                            ParseSmallInteger(1, 10, "the interval precision"));
    if (start == TimeUnit::kSecond && Accept(TokenKind::kComma)) {
      SLUICE_ASSIGN_OR_RETURN(qualifier.fractional_precision,
                              ParseSmallInteger(0, 9, "the fractional second precision"));
    }
    SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')'"));
  }
  if (AcceptKeyword("TO")) {
    TimeUnit end = PeekIs(TokenKind::kWord) ? TimeUnitFromWord(Current().text) : TimeUnit::kNone;
    if (!IsIntervalUnit(end)) return ErrorExpected(kUnits);
    if (!IsValidIntervalRange(start, end)) {
      return ErrorAt(location, fmt::format("invalid interval qualifier {} TO {}",
                                           TimeUnitName(start), TimeUnitName(end)));
    }
    Advance();
    qualifier.end = end;
    if (end == TimeUnit::kSecond && Accept(TokenKind::kLParen)) {
      SLUICE_ASSIGN_OR_RETURN(qualifier.fractional_precision,
                              ParseSmallInteger(0, 9, "the fractional second precision"));
      SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')'"));
    }
  }
  return qualifier;
}

Result<TimeUnit> SqlParser::ParseTimeUnit() {
  TimeUnit unit = PeekIs(TokenKind::kWord) ? TimeUnitFromWord(Current().text) : TimeUnit::kNone;
  if (unit == TimeUnit::kNone) {
    return ErrorExpected(
        "a time unit (YEAR, QUARTER, MONTH, WEEK, DAY, HOUR, MINUTE, SECOND, ...)");
  }
  Advance();
  return unit;
}

Result<ExprNodePtr> SqlParser::ParseSpecialCall(const std::string& upper, SourceLocation location) {
  auto call = MakeNode(ExprNodeKind::kFunctionCall, location);
  Identifier written{Current().text, false, location};
  Advance();  // the name
  Advance();  // '('
  std::string canonical = upper;
  if (upper == "EXTRACT") {
    SLUICE_ASSIGN_OR_RETURN(call->time_unit, ParseTimeUnit());
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("FROM"));
    SLUICE_ASSIGN_OR_RETURN(ExprNodePtr arg, ParseExpr());
    call->args.push_back(std::move(arg));
  } else if (upper == "FLOOR" || upper == "CEIL" || upper == "CEILING") {
    SLUICE_ASSIGN_OR_RETURN(call->args, ParseExprList());
    if (call->args.size() == 1 && AcceptKeyword("TO")) {
      SLUICE_ASSIGN_OR_RETURN(call->time_unit, ParseTimeUnit());
      canonical = upper == "FLOOR" ? "FLOOR" : "CEIL";
    } else {
      canonical = written.name;  // an ordinary call: keep the spelling
    }
  } else if (upper == "POSITION") {
    SLUICE_ASSIGN_OR_RETURN(ExprNodePtr needle, ParseConcat());
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("IN"));
    SLUICE_ASSIGN_OR_RETURN(ExprNodePtr haystack, ParseExpr());
    call->args.push_back(std::move(needle));
    call->args.push_back(std::move(haystack));
    if (AcceptKeyword("FROM")) {
      SLUICE_ASSIGN_OR_RETURN(ExprNodePtr start, ParseExpr());
      call->args.push_back(std::move(start));
    }
  } else if (upper == "TRIM") {
    ExprNodePtr chars;
    if (AcceptKeyword("BOTH")) {
      call->trim_mode = TrimMode::kBoth;
    } else if (AcceptKeyword("LEADING")) {
      call->trim_mode = TrimMode::kLeading;
    } else if (AcceptKeyword("TRAILING")) {
      call->trim_mode = TrimMode::kTrailing;
    }
    if (call->trim_mode != TrimMode::kNone && AcceptKeyword("FROM")) {
      SLUICE_ASSIGN_OR_RETURN(ExprNodePtr source, ParseExpr());
      call->args.push_back(std::move(source));
    } else {
      SLUICE_ASSIGN_OR_RETURN(ExprNodePtr first, ParseExpr());
      if (AcceptKeyword("FROM")) {
        if (call->trim_mode == TrimMode::kNone) call->trim_mode = TrimMode::kBoth;
        SLUICE_ASSIGN_OR_RETURN(ExprNodePtr source, ParseExpr());
        call->args.push_back(std::move(source));
        call->args.push_back(std::move(first));
      } else if (call->trim_mode != TrimMode::kNone) {
        return ErrorExpected("FROM");
      } else {
        call->args.push_back(std::move(first));
      }
    }
  } else if (upper == "SUBSTRING") {
    SLUICE_ASSIGN_OR_RETURN(ExprNodePtr source, ParseExpr());
    call->args.push_back(std::move(source));
    if (AcceptKeyword("FROM")) {
      SLUICE_ASSIGN_OR_RETURN(ExprNodePtr start, ParseExpr());
      call->args.push_back(std::move(start));
      if (AcceptKeyword("FOR")) {
        SLUICE_ASSIGN_OR_RETURN(ExprNodePtr length, ParseExpr());
        call->args.push_back(std::move(length));
      }
    } else {
      while (Accept(TokenKind::kComma)) {
        SLUICE_ASSIGN_OR_RETURN(ExprNodePtr arg, ParseExpr());
        call->args.push_back(std::move(arg));
      }
    }
  } else {  // TIMESTAMPADD / TIMESTAMPDIFF
    SLUICE_ASSIGN_OR_RETURN(call->time_unit, ParseTimeUnit());
    for (int i = 0; i < 2; ++i) {
      SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kComma, "','"));
      SLUICE_ASSIGN_OR_RETURN(ExprNodePtr arg, ParseExpr());
      call->args.push_back(std::move(arg));
    }
  }
  SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')'"));
  call->name.parts.push_back({canonical, false, location});
  return call;
}

}  // namespace sluice::sql
