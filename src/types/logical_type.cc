#include "types/logical_type.h"

#include <algorithm>

namespace sluice {

size_t LogicalType::PhysicalSize() const {
  switch (id) {
    case TypeId::kNull:
    case TypeId::kBoolean:
      return 1;
    case TypeId::kInt:
    case TypeId::kDate:
      return 4;
    case TypeId::kBigint:
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
    case TypeId::kInterval:
    case TypeId::kDouble:
      return 8;
    case TypeId::kDecimal:
      return 16;
    case TypeId::kVarchar:
      return sizeof(std::string_view);
  }
  return 8;
}

std::string LogicalType::ToString() const {
  switch (id) {
    case TypeId::kNull:
      return "NULL";
    case TypeId::kBoolean:
      return "BOOLEAN";
    case TypeId::kInt:
      return "INT";
    case TypeId::kBigint:
      return "BIGINT";
    case TypeId::kDouble:
      return "DOUBLE";
    case TypeId::kDecimal:
      return "DECIMAL(" + std::to_string(precision) + ", " + std::to_string(scale) + ")";
    case TypeId::kVarchar:
      return "STRING";
    case TypeId::kTimestamp:
      return "TIMESTAMP(" + std::to_string(precision) + ")";
    case TypeId::kTimestampLtz:
      return "TIMESTAMP_LTZ(" + std::to_string(precision) + ")";
    case TypeId::kDate:
      return "DATE";
    case TypeId::kInterval:
      return "INTERVAL";
  }
  return "UNKNOWN";
}

namespace {
// Digits needed left of the decimal point for an integral type.
int IntegralDigits(TypeId id) {
  return id == TypeId::kInt ? 10 : 19;
}
}  // namespace

Result<LogicalType> CommonSuperType(const LogicalType& a, const LogicalType& b) {
  if (a == b) return a;
  if (a.id == TypeId::kNull) return b;
  if (b.id == TypeId::kNull) return a;
  if (a.IsNumeric() && b.IsNumeric()) {
    if (a.id == TypeId::kDouble || b.id == TypeId::kDouble) return LogicalType::Double();
    if (a.id == TypeId::kDecimal || b.id == TypeId::kDecimal) {
      int scale =
          std::max(a.id == TypeId::kDecimal ? a.scale : 0, b.id == TypeId::kDecimal ? b.scale : 0);
      int int_digits =
          std::max(a.id == TypeId::kDecimal ? a.precision - a.scale : IntegralDigits(a.id),
                   b.id == TypeId::kDecimal ? b.precision - b.scale : IntegralDigits(b.id));
      return LogicalType::Decimal(std::min(38, int_digits + scale), scale);
    }
    return LogicalType::Bigint();  // INT and BIGINT
  }
  if (a.IsTimestamp() && b.IsTimestamp()) {
    return a.id == TypeId::kTimestampLtz ? a : b;
  }
  return Status::TypeError("no common type for " + a.ToString() + " and " + b.ToString());
}

}  // namespace sluice
