#include "exec/plan/aggregate_call.h"

#include <algorithm>

namespace sluice {

std::string AggregateCall::ToString() const {
  return ToString("$" + std::to_string(argument));
}

std::string AggregateCall::ToString(const std::string& argument_name) const {
  static const char* kNames[] = {"COUNT", "COUNT", "SUM", "AVG", "MIN", "MAX"};
  std::string s = kNames[static_cast<int>(kind)];
  if (kind == AggregateKind::kCountStar) return s + "(*)";
  return s + "(" + (distinct ? "DISTINCT " : "") + argument_name + ")";
}

Result<LogicalType> AggregateResultType(AggregateKind kind, const LogicalType& arg) {
  switch (kind) {
    case AggregateKind::kCountStar:
    case AggregateKind::kCount:
      return LogicalType::Bigint();
    case AggregateKind::kSum:
    case AggregateKind::kAvg:
      if (!arg.IsNumeric()) {
        return Status::TypeError(std::string(kind == AggregateKind::kSum ? "SUM" : "AVG") +
                                 " needs a numeric argument, got " + arg.ToString());
      }
      if (arg.id == TypeId::kDecimal) {
        return kind == AggregateKind::kSum ? LogicalType::Decimal(38, arg.scale)
                                           : LogicalType::Decimal(38, std::max<int>(6, arg.scale));
      }
      return arg;
    case AggregateKind::kMin:
    case AggregateKind::kMax:
      if (arg.id == TypeId::kNull) return Status::TypeError("MIN/MAX of an untyped NULL");
      return arg;
  }
  return Status::Internal("unknown aggregate kind");
}

}  // namespace sluice
