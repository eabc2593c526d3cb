#pragma once
// AggregateCall: one aggregate of a GROUP BY (windowed or not), over input columns by index.

#include <string>

#include "types/logical_type.h"

namespace sluice {

enum class AggregateKind : uint8_t { kCountStar, kCount, kSum, kAvg, kMin, kMax };

struct AggregateCall {
  AggregateKind kind = AggregateKind::kCountStar;
  int argument = -1;  // input column; -1 for COUNT(*)
  bool distinct = false;
  LogicalType argument_type;
  LogicalType result_type;
  std::string name;  // output column name

  std::string ToString() const;  // "COUNT(DISTINCT $2)"
  /// The same with the argument named: "SUM(amount)".
  std::string ToString(const std::string& argument_name) const;
};

/// Flink's result types: COUNT -> BIGINT; SUM(INT) -> INT, SUM(BIGINT) -> BIGINT,
/// SUM(DOUBLE) -> DOUBLE, SUM(DECIMAL(p,s)) -> DECIMAL(38,s); AVG keeps integral/DOUBLE types and
/// gives DECIMAL(38, max(6,s)) for DECIMAL; MIN/MAX keep the type.
Result<LogicalType> AggregateResultType(AggregateKind kind, const LogicalType& argument);

}  // namespace sluice
