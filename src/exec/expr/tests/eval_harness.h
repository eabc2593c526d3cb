#pragma once
// Test helpers: bind a call and evaluate it twice — over literals (the constant-folded path) and
// over a one-row batch of columns (the vectorized kernels) — and check both agree.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "exec/expr/evaluator.h"
#include "exec/functions/decimal.h"
#include "exec/functions/function_registry.h"
#include "types/time_format.h"

namespace sluice::testing {

inline Value I(int32_t v) {
  return Value::Int(v);
}
inline Value L(int64_t v) {
  return Value::Bigint(v);
}
inline Value D(double v) {
  return Value::Double(v);
}
inline Value S(std::string s) {
  return Value::Varchar(std::move(s));
}
inline Value B(bool v) {
  return Value::Boolean(v);
}
inline Value Null(LogicalType t = LogicalType::Null()) {
  return Value::Null(t);
}
inline Value Iv(int64_t micros) {
  return Value::Interval(micros);
}
inline Value Dec(std::string_view text, int precision, int scale) {
  return Value::Decimal(ParseDecimal(text, precision, scale).value(), precision, scale);
}
inline Value Ts(std::string_view text, int precision = 3) {
  return Value::Timestamp(ParseTimestamp(text).value(), precision);
}
/// An instant written as its UTC wall-clock time.
inline Value Ltz(std::string_view utc_text, int precision = 3) {
  return Value::TimestampLtz(ParseTimestamp(utc_text).value(), precision);
}
inline Value Dt(std::string_view text) {
  return Value::Date(ParseDate(text).value());
}

/// A call argument: a column by default; Lit() keeps it a literal (units, modes, formats).
struct Arg {
  Arg(Value v) : value(std::move(v)) {}  // NOLINT: implicit so calls read naturally
  Value value;
  bool literal = false;
};
inline Arg Lit(Value v) {
  Arg a(std::move(v));
  a.literal = true;
  return a;
}

inline Result<Value> EvalOnBatch(const ExprPtr& expr, const Batch& batch, const TimeZone& zone) {
  ExpressionEvaluator evaluator(expr, EvalContext{zone});
  SLUICE_ASSIGN_OR_RETURN(ColumnPtr column, evaluator.Evaluate(batch, nullptr, batch.num_rows()));
  if (column->size() != batch.num_rows()) return Status::Internal("wrong result size");
  return column->GetValue(0);
}

inline std::string Show(const Result<Value>& r) {
  return r.ok() ? r->ToString() : "ERROR " + r.status().ToString();
}

/// name(args) evaluated on one row; both evaluation paths must give the same value or error.
inline Result<Value> Eval(const std::string& name, std::vector<Arg> args,
                          const TimeZone& zone = TimeZone::Utc()) {
  std::vector<ExprPtr> literals;
  std::vector<ExprPtr> refs;
  std::vector<ColumnPtr> columns;
  for (const Arg& a : args) {
    literals.push_back(BoundExpr::Literal(a.value));
    if (a.literal || a.value.type().id == TypeId::kNull) {
      refs.push_back(BoundExpr::Literal(a.value));
      continue;
    }
    auto column = std::make_shared<Column>(a.value.type());
    column->AppendValue(a.value);
    refs.push_back(BoundExpr::ColumnRef(static_cast<int>(columns.size()), a.value.type()));
    columns.push_back(std::move(column));
  }
  SLUICE_ASSIGN_OR_RETURN(ExprPtr folded, BindFunctionCall(name, literals));
  SLUICE_ASSIGN_OR_RETURN(ExprPtr vectorized, BindFunctionCall(name, refs));
  Result<Value> a = EvalOnBatch(folded, Batch({}, 1), zone);
  Result<Value> b = EvalOnBatch(vectorized, Batch(columns, 1), zone);
  EXPECT_EQ(Show(a), Show(b)) << name << ": literal and column evaluation differ";
  if (a.ok() && b.ok()) {
    EXPECT_EQ(a->type(), b->type()) << name;
  }
  return b;
}

/// Eval() shown as text: the value's print form, "NULL", or "ERROR <code>: <message>".
inline std::string EvalText(const std::string& name, std::vector<Arg> args,
                            const TimeZone& zone = TimeZone::Utc()) {
  return Show(Eval(name, std::move(args), zone));
}

inline TimeZone Zone(const std::string& name) {
  return TimeZone::Parse(name).value();
}

/// Binds CAST / TRY_CAST of a value and evaluates it on both paths.
inline Result<Value> EvalCast(const Value& v, LogicalType to, bool try_cast = false,
                              const TimeZone& zone = TimeZone::Utc()) {
  SLUICE_ASSIGN_OR_RETURN(ExprPtr folded, BindCast(BoundExpr::Literal(v), to, try_cast));
  auto column = std::make_shared<Column>(v.type());
  column->AppendValue(v);
  SLUICE_ASSIGN_OR_RETURN(ExprPtr vectorized,
                          BindCast(BoundExpr::ColumnRef(0, v.type()), to, try_cast));
  Result<Value> a = EvalOnBatch(folded, Batch({}, 1), zone);
  Result<Value> b = EvalOnBatch(vectorized, Batch({column}, 1), zone);
  EXPECT_EQ(Show(a), Show(b)) << "CAST to " << to.ToString();
  return b;
}

inline std::string CastText(const Value& v, LogicalType to, bool try_cast = false,
                            const TimeZone& zone = TimeZone::Utc()) {
  return Show(EvalCast(v, to, try_cast, zone));
}

}  // namespace sluice::testing
