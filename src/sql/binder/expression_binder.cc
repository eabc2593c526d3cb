#include "sql/binder/expression_binder.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "exec/functions/function_registry.h"
#include "types/time_format.h"

namespace sluice::sql {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool IsAggregateFunction(const std::string& name) {
  return name == "count" || name == "sum" || name == "avg" || name == "min" || name == "max";
}

bool IsGroupWindowFunction(const std::string& name) {
  for (const char* base : {"tumble", "hop", "session", "cumulate"}) {
    std::string b = base;
    if (name == b || name == b + "_start" || name == b + "_end" || name == b + "_rowtime" ||
        name == b + "_proctime") {
      return true;
    }
  }
  return false;
}

namespace {

bool IsOtherAggregate(const std::string& name) {
  static const char* kNames[] = {"stddev_pop",   "stddev_samp", "var_pop",     "var_samp",
                                 "collect",      "listagg",     "first_value", "last_value",
                                 "stddev",       "variance",    "array_agg",   "json_objectagg",
                                 "json_arrayagg"};
  for (const char* n : kNames) {
    if (name == n) return true;
  }
  return false;
}

Result<int64_t> UnitMicros(TimeUnit unit, const SourceLocation& location) {
  switch (unit) {
    case TimeUnit::kDay:
      return kMicrosPerDay;
    case TimeUnit::kHour:
      return kMicrosPerHour;
    case TimeUnit::kMinute:
      return kMicrosPerMinute;
    case TimeUnit::kSecond:
      return kMicrosPerSecond;
    case TimeUnit::kMillisecond:
      return kMicrosPerMilli;
    case TimeUnit::kMicrosecond:
      return 1;
    default:
      return ErrorAt(location, ErrorCode::kUnsupported,
                     std::string("INTERVAL unit ") + std::string(TimeUnitName(unit)) +
                         " is not supported (use DAY, HOUR, MINUTE, SECOND)");
  }
}

// INTERVAL '1 02:03:04.5' DAY TO SECOND, '1:30' MINUTE TO SECOND, '-5' SECOND, '1.5' SECOND.
Result<Value> BindIntervalLiteral(const ExprNode& node) {
  const IntervalQualifier& q = node.interval;
  if (q.IsYearMonth()) {
    return ErrorAt(node.location, ErrorCode::kUnsupported,
                   "year-month intervals are not supported yet (use DAY, HOUR, MINUTE, SECOND)");
  }
  std::string text = node.value;
  bool negative = false;
  size_t pos = 0;
  while (pos < text.size() && text[pos] == ' ') ++pos;
  if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) {
    negative = text[pos] == '-';
    ++pos;
  }
  // Units from start to end, most significant first.
  static const TimeUnit kOrder[] = {TimeUnit::kDay, TimeUnit::kHour, TimeUnit::kMinute,
                                    TimeUnit::kSecond};
  std::vector<TimeUnit> units;
  TimeUnit end = q.end == TimeUnit::kNone ? q.start : q.end;
  bool in_range = false;
  for (TimeUnit u : kOrder) {
    if (u == q.start) in_range = true;
    if (in_range) units.push_back(u);
    if (u == end) break;
  }
  if (units.empty()) units.push_back(q.start);
  int64_t total = 0;
  for (size_t i = 0; i < units.size(); ++i) {
    size_t start = pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
    if (pos == start) {
      return ErrorAt(node.location, ErrorCode::kSyntaxError,
                     "bad INTERVAL literal '" + node.value + "' for " + q.ToString());
    }
    int64_t n = std::strtoll(text.substr(start, pos - start).c_str(), nullptr, 10);
    SLUICE_ASSIGN_OR_RETURN(int64_t scale, UnitMicros(units[i], node.location));
    total += n * scale;
    bool last = i + 1 == units.size();
    if (last && units[i] == TimeUnit::kSecond && pos < text.size() && text[pos] == '.') {
      ++pos;
      int64_t frac = 0;
      int digits = 0;
      while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
        if (digits < 6) frac = frac * 10 + (text[pos] - '0');
        ++digits;
        ++pos;
      }
      for (int d = digits; d < 6; ++d) frac *= 10;
      total += frac;
    }
    if (!last) {
      if (pos >= text.size() || (text[pos] != ':' && text[pos] != ' ')) {
        return ErrorAt(node.location, ErrorCode::kSyntaxError,
                       "bad INTERVAL literal '" + node.value + "' for " + q.ToString());
      }
      ++pos;
    }
  }
  while (pos < text.size() && text[pos] == ' ') ++pos;
  if (pos != text.size()) {
    return ErrorAt(node.location, ErrorCode::kSyntaxError,
                   "bad INTERVAL literal '" + node.value + "' for " + q.ToString());
  }
  return Value::Interval(negative ? -total : total);
}

Result<Value> BindExactNumber(const ExprNode& node) {
  const std::string& text = node.value;
  std::string digits;
  int scale = 0;
  bool after_point = false;
  for (char c : text) {
    if (c == '.') {
      after_point = true;
      continue;
    }
    digits += c;
    if (after_point) ++scale;
  }
  size_t first = digits.find_first_not_of('0');
  std::string significant = first == std::string::npos ? "0" : digits.substr(first);
  if (significant.size() > 38) {
    return ErrorAt(node.location, ErrorCode::kTypeError,
                   "numeric literal " + text + " is too large");
  }
  int128_t v = 0;
  for (char c : significant) v = v * 10 + (c - '0');
  if (node.literal_kind == LiteralKind::kInteger) {
    if (v <= 2147483647) return Value::Int(static_cast<int32_t>(v));
    if (v <= static_cast<int128_t>(INT64_MAX)) return Value::Bigint(static_cast<int64_t>(v));
    return Value::Decimal(v, static_cast<int>(significant.size()), 0);
  }
  int precision = std::max<int>(static_cast<int>(significant.size()), scale);
  if (precision == 0) precision = 1;
  return Value::Decimal(v, precision, scale);
}

}  // namespace

Result<Value> BindLiteral(const ExprNode& node) {
  switch (node.literal_kind) {
    case LiteralKind::kNull:
      return Value();
    case LiteralKind::kBoolean:
      return Value::Boolean(Lower(node.value) == "true");
    case LiteralKind::kInteger:
    case LiteralKind::kDecimal:
      return BindExactNumber(node);
    case LiteralKind::kDouble: {
      errno = 0;
      double d = std::strtod(node.value.c_str(), nullptr);
      if (errno == ERANGE) {
        return ErrorAt(node.location, ErrorCode::kTypeError,
                       "number " + node.value + " is out of range");
      }
      return Value::Double(d);
    }
    case LiteralKind::kString:
      return Value::Varchar(node.value);
    case LiteralKind::kDate: {
      auto d = ParseDate(node.value);
      if (!d)
        return ErrorAt(node.location, ErrorCode::kSyntaxError,
                       "bad DATE literal '" + node.value + "'");
      return Value::Date(*d);
    }
    case LiteralKind::kTimestamp: {
      auto t = ParseTimestamp(node.value);
      if (!t) {
        return ErrorAt(node.location, ErrorCode::kSyntaxError,
                       "bad TIMESTAMP literal '" + node.value + "'");
      }
      int precision = 0;
      size_t dot = node.value.find('.');
      if (dot != std::string::npos) precision = static_cast<int>(node.value.size() - dot - 1);
      return Value::Timestamp(*t, std::min(precision, 6));
    }
    case LiteralKind::kTime:
      return ErrorAt(node.location, ErrorCode::kUnsupported, "TIME literals are not supported yet");
    case LiteralKind::kInterval:
      return BindIntervalLiteral(node);
  }
  return ErrorAt(node.location, ErrorCode::kInternal, "unknown literal kind");
}

Result<ExprPtr> ExpressionBinder::Bind(const ExprNode& node) const {
  if (interceptor_) {
    SLUICE_ASSIGN_OR_RETURN(ExprPtr replaced, interceptor_(node));
    if (replaced) return replaced;
  }
  auto result = BindInner(node);
  if (!result.ok()) return AddLocation(result.status(), node.location);
  return result;
}

Result<std::vector<ExprPtr>> ExpressionBinder::BindArgs(const ExprNode& node) const {
  std::vector<ExprPtr> args;
  for (const auto& a : node.args) {
    SLUICE_ASSIGN_OR_RETURN(ExprPtr bound, Bind(*a));
    args.push_back(std::move(bound));
  }
  return args;
}

namespace {

const char* BinaryFunction(ExprOp op) {
  switch (op) {
    case ExprOp::kOr:
      return "or";
    case ExprOp::kAnd:
      return "and";
    case ExprOp::kEq:
      return "=";
    case ExprOp::kNotEq:
      return "<>";
    case ExprOp::kLt:
      return "<";
    case ExprOp::kLtEq:
      return "<=";
    case ExprOp::kGt:
      return ">";
    case ExprOp::kGtEq:
      return ">=";
    case ExprOp::kConcat:
      return "concat";
    case ExprOp::kAdd:
      return "+";
    case ExprOp::kSub:
      return "-";
    case ExprOp::kMul:
      return "*";
    case ExprOp::kDiv:
      return "/";
    case ExprOp::kMod:
      return "%";
    default:
      return nullptr;
  }
}

ExprPtr UnitLiteral(TimeUnit unit) {
  return BoundExpr::Literal(Value::Varchar(std::string(TimeUnitName(unit))));
}

Result<ExprPtr> Negate(Result<ExprPtr> inner) {
  if (!inner.ok()) return inner;
  return BindFunctionCall("not", {*inner});
}

}  // namespace

Result<ExprPtr> ExpressionBinder::BindInner(const ExprNode& node) const {
  switch (node.kind) {
    case ExprNodeKind::kLiteral: {
      SLUICE_ASSIGN_OR_RETURN(Value v, BindLiteral(node));
      return BoundExpr::Literal(std::move(v));
    }
    case ExprNodeKind::kColumnRef: {
      SLUICE_ASSIGN_OR_RETURN(int index, scope_->Resolve(node.name));
      const ScopeColumn& c = scope_->columns()[index];
      return BoundExpr::ColumnRef(index, c.type, c.name);
    }
    case ExprNodeKind::kStar:
      return ErrorAt(node.location, ErrorCode::kBindError, "'*' is only allowed in a SELECT list");
    case ExprNodeKind::kUnary: {
      if (node.op == ExprOp::kNegate && node.args[0]->kind == ExprNodeKind::kLiteral &&
          node.args[0]->literal_kind != LiteralKind::kString) {
        // Fold -literal so '-5' stays a literal (and INT_MIN fits).
        SLUICE_ASSIGN_OR_RETURN(Value v, BindLiteral(*node.args[0]));
        switch (v.type().id) {
          case TypeId::kInt:
            return BoundExpr::Literal(Value::Int(static_cast<int32_t>(-v.GetInt64())));
          case TypeId::kBigint:
            return BoundExpr::Literal(Value::Bigint(-v.GetInt64()));
          case TypeId::kDouble:
            return BoundExpr::Literal(Value::Double(-v.GetDouble()));
          case TypeId::kDecimal:
            if (v.GetDecimal() == static_cast<int128_t>(INT64_MAX) + 1 && v.type().scale == 0) {
              return BoundExpr::Literal(Value::Bigint(INT64_MIN));
            }
            return BoundExpr::Literal(
                Value::Decimal(-v.GetDecimal(), v.type().precision, v.type().scale));
          case TypeId::kInterval:
            return BoundExpr::Literal(Value::Interval(-v.GetInt64()));
          default:
            break;
        }
      }
      SLUICE_ASSIGN_OR_RETURN(auto args, BindArgs(node));
      if (node.op == ExprOp::kNot) return BindFunctionCall("not", std::move(args));
      if (node.op == ExprOp::kNegate) return BindFunctionCall("negate", std::move(args));
      return args[0];  // unary plus
    }
    case ExprNodeKind::kBinary: {
      SLUICE_ASSIGN_OR_RETURN(auto args, BindArgs(node));
      const char* fn = BinaryFunction(node.op);
      if (!fn) return ErrorAt(node.location, ErrorCode::kInternal, "unknown binary operator");
      return BindFunctionCall(fn, std::move(args));
    }
    case ExprNodeKind::kFunctionCall:
      return BindCall(node);
    case ExprNodeKind::kCast: {
      SLUICE_ASSIGN_OR_RETURN(ExprPtr child, Bind(*node.args[0]));
      if (node.cast_type->is_row) {
        return ErrorAt(node.location, ErrorCode::kUnsupported, "CAST to ROW is not supported");
      }
      return BindCast(std::move(child), node.cast_type->logical, node.try_cast);
    }
    case ExprNodeKind::kCase: {
      std::vector<ExprPtr> children;
      ExprPtr operand;
      if (node.case_operand) {
        SLUICE_ASSIGN_OR_RETURN(operand, Bind(*node.case_operand));
      }
      for (const auto& w : node.when_clauses) {
        SLUICE_ASSIGN_OR_RETURN(ExprPtr cond, Bind(*w.condition));
        if (operand) {
          SLUICE_ASSIGN_OR_RETURN(cond, BindFunctionCall("=", {operand, cond}));
        }
        SLUICE_ASSIGN_OR_RETURN(ExprPtr result, Bind(*w.result));
        children.push_back(std::move(cond));
        children.push_back(std::move(result));
      }
      bool has_else = node.else_result != nullptr;
      if (has_else) {
        SLUICE_ASSIGN_OR_RETURN(ExprPtr e, Bind(*node.else_result));
        children.push_back(std::move(e));
      }
      return BindCase(std::move(children), has_else);
    }
    case ExprNodeKind::kBetween: {
      SLUICE_ASSIGN_OR_RETURN(auto args, BindArgs(node));
      SLUICE_ASSIGN_OR_RETURN(ExprPtr lo, BindFunctionCall(">=", {args[0], args[1]}));
      SLUICE_ASSIGN_OR_RETURN(ExprPtr hi, BindFunctionCall("<=", {args[0], args[2]}));
      auto both = BindFunctionCall("and", {lo, hi});
      return node.negated ? Negate(std::move(both)) : both;
    }
    case ExprNodeKind::kInList: {
      SLUICE_ASSIGN_OR_RETURN(auto args, BindArgs(node));
      auto in = BindFunctionCall("in", std::move(args));
      return node.negated ? Negate(std::move(in)) : in;
    }
    case ExprNodeKind::kLike: {
      SLUICE_ASSIGN_OR_RETURN(auto args, BindArgs(node));
      auto like = BindFunctionCall("like", std::move(args));
      return node.negated ? Negate(std::move(like)) : like;
    }
    case ExprNodeKind::kIsNull: {
      SLUICE_ASSIGN_OR_RETURN(auto args, BindArgs(node));
      return BindFunctionCall(node.negated ? "is_not_null" : "is_null", std::move(args));
    }
    case ExprNodeKind::kIsTrue: {
      SLUICE_ASSIGN_OR_RETURN(auto args, BindArgs(node));
      return BindFunctionCall(node.negated ? "is_not_true" : "is_true", std::move(args));
    }
    case ExprNodeKind::kIsFalse: {
      SLUICE_ASSIGN_OR_RETURN(auto args, BindArgs(node));
      return BindFunctionCall(node.negated ? "is_not_false" : "is_false", std::move(args));
    }
    case ExprNodeKind::kIsUnknown: {
      SLUICE_ASSIGN_OR_RETURN(auto args, BindArgs(node));
      return BindFunctionCall(node.negated ? "is_not_null" : "is_null", std::move(args));
    }
    case ExprNodeKind::kIsDistinctFrom: {
      // a IS DISTINCT FROM b  ==  NOT (a = b with NULLs equal)
      SLUICE_ASSIGN_OR_RETURN(auto args, BindArgs(node));
      SLUICE_ASSIGN_OR_RETURN(ExprPtr a_null, BindFunctionCall("is_null", {args[0]}));
      SLUICE_ASSIGN_OR_RETURN(ExprPtr b_null, BindFunctionCall("is_null", {args[1]}));
      SLUICE_ASSIGN_OR_RETURN(ExprPtr both_null, BindFunctionCall("and", {a_null, b_null}));
      SLUICE_ASSIGN_OR_RETURN(ExprPtr eq, BindFunctionCall("=", {args[0], args[1]}));
      SLUICE_ASSIGN_OR_RETURN(ExprPtr eq_true, BindFunctionCall("is_true", {eq}));
      SLUICE_ASSIGN_OR_RETURN(ExprPtr same, BindFunctionCall("or", {both_null, eq_true}));
      return node.negated ? same : BindFunctionCall("not", {same});
    }
    case ExprNodeKind::kSimilarTo:
      return ErrorAt(node.location, ErrorCode::kUnsupported, "SIMILAR TO is not supported yet");
    case ExprNodeKind::kInSubquery:
    case ExprNodeKind::kScalarSubquery:
    case ExprNodeKind::kExists:
      return ErrorAt(node.location, ErrorCode::kUnsupported,
                     "subqueries in expressions are not supported yet");
  }
  return ErrorAt(node.location, ErrorCode::kInternal, "unknown expression kind");
}

Result<ExprPtr> ExpressionBinder::BindCall(const ExprNode& node) const {
  std::string name = Lower(node.name.ToString());
  if (IsAggregateFunction(name) || IsOtherAggregate(name)) {
    if (IsOtherAggregate(name)) {
      return ErrorAt(node.location, ErrorCode::kUnsupported,
                     "aggregate function " + node.name.ToString() + " is not supported yet");
    }
    return ErrorAt(node.location, ErrorCode::kBindError,
                   "aggregate function " + node.name.ToString() +
                       " is not allowed here (only in the SELECT list or HAVING of a query with "
                       "GROUP BY or aggregates)");
  }
  if (IsGroupWindowFunction(name)) {
    return ErrorAt(node.location, ErrorCode::kBindError,
                   "group window function " + node.name.ToString() +
                       " is only allowed in GROUP BY (TUMBLE/HOP/SESSION) or in the SELECT list of "
                       "that grouped query (_START/_END/_ROWTIME)");
  }
  if (node.over) {
    return ErrorAt(node.location, ErrorCode::kUnsupported, "OVER windows are not supported yet");
  }
  if (name == "proctime") {
    return ErrorAt(node.location, ErrorCode::kUnsupported,
                   "processing-time attributes (PROCTIME()) are not supported yet; use event time "
                   "with a WATERMARK");
  }
  SLUICE_ASSIGN_OR_RETURN(auto args, BindArgs(node));
  if (name == "extract") {
    args.insert(args.begin(), UnitLiteral(node.time_unit));
  } else if ((name == "floor" || name == "ceil" || name == "ceiling") &&
             node.time_unit != TimeUnit::kNone) {
    args.insert(args.begin(), UnitLiteral(node.time_unit));
    name = name == "floor" ? "timestamp_floor" : "timestamp_ceil";
  } else if (name == "timestampadd" || name == "timestampdiff") {
    args.insert(args.begin(), UnitLiteral(node.time_unit));
  } else if (name == "trim") {
    // AST: args [s(, chars)], trim_mode. Registry: trim(mode, chars, s).
    const char* mode = node.trim_mode == TrimMode::kLeading    ? "LEADING"
                       : node.trim_mode == TrimMode::kTrailing ? "TRAILING"
                                                               : "BOTH";
    ExprPtr chars = args.size() > 1 ? args[1] : BoundExpr::Literal(Value::Varchar(" "));
    args = {BoundExpr::Literal(Value::Varchar(mode)), chars, args[0]};
  } else if (name == "current_timestamp" || name == "now" || name == "localtimestamp" ||
             name == "current_date" || name == "current_row_timestamp") {
    if (name == "current_row_timestamp") name = "current_timestamp";
  }
  return BindFunctionCall(name, std::move(args));
}

}  // namespace sluice::sql
