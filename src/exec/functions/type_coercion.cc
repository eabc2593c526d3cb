#include "exec/functions/type_coercion.h"

#include <algorithm>

namespace sluice {

bool SameType(const LogicalType& a, const LogicalType& b) {
  if (a.id != b.id) return false;
  if (a.id == TypeId::kDecimal) return a.precision == b.precision && a.scale == b.scale;
  if (a.IsTimestamp()) return a.precision == b.precision;
  return true;
}

LogicalType AsDecimalType(const LogicalType& t) {
  switch (t.id) {
    case TypeId::kInt:
      return LogicalType::Decimal(10, 0);
    case TypeId::kBigint:
      return LogicalType::Decimal(19, 0);
    default:
      return t;
  }
}

bool CanImplicitCast(const LogicalType& from, const LogicalType& to) {
  if (from.id == TypeId::kNull) return true;
  if (from.id == to.id) {
    if (from.id != TypeId::kDecimal) return true;
    return to.scale >= from.scale && to.precision - to.scale >= from.precision - from.scale;
  }
  switch (from.id) {
    case TypeId::kInt:
      return to.id == TypeId::kBigint || to.id == TypeId::kDecimal || to.id == TypeId::kDouble;
    case TypeId::kBigint:
    case TypeId::kDecimal:
      return to.id == TypeId::kDecimal || to.id == TypeId::kDouble;
    case TypeId::kDate:
      return to.IsTimestamp();
    case TypeId::kTimestamp:
      return to.id == TypeId::kTimestampLtz;
    case TypeId::kTimestampLtz:
      return to.id == TypeId::kTimestamp;
    default:
      return false;
  }
}

Result<LogicalType> CommonType(const LogicalType& a, const LogicalType& b) {
  if (a.id == TypeId::kNull) return b;
  if (b.id == TypeId::kNull) return a;
  if (a.IsTimestamp() && b.IsTimestamp()) {
    int precision = std::max(a.precision, b.precision);
    return a.id == TypeId::kTimestampLtz || b.id == TypeId::kTimestampLtz
               ? LogicalType::TimestampLtz(precision)
               : LogicalType::Timestamp(precision);
  }
  if (a.id == TypeId::kDate && b.IsTimestamp()) return b;
  if (b.id == TypeId::kDate && a.IsTimestamp()) return a;
  return CommonSuperType(a, b);
}

ExprPtr CastIfNeeded(ExprPtr expr, const LogicalType& to) {
  if (SameType(expr->type, to)) return expr;
  return BoundExpr::Cast(std::move(expr), to);
}

std::string DescribeArgumentTypes(const std::vector<ExprPtr>& args) {
  std::string s;
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) s += args.size() == 2 ? " and " : ", ";
    s += args[i]->type.ToString();
  }
  return s.empty() ? "no arguments" : s;
}

Status CannotApply(const std::string& name, const std::vector<ExprPtr>& args) {
  return Status::TypeError("cannot apply '" + name + "' to " + DescribeArgumentTypes(args));
}

bool IsLiteral(const ExprPtr& arg) {
  return arg->kind == ExprKind::kLiteral && !arg->literal.is_null();
}

Result<std::string> UnitLiteral(const std::string& function, const ExprPtr& arg) {
  if (!IsLiteral(arg) || arg->type.id != TypeId::kVarchar) {
    return Status::TypeError("the unit of '" + function + "' must be a literal such as 'DAY'");
  }
  std::string unit = arg->literal.GetString();
  std::transform(unit.begin(), unit.end(), unit.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return unit;
}

}  // namespace sluice
