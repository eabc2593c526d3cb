#pragma once
// Implicit conversions the binder may insert: NULL -> anything, INT -> BIGINT -> DECIMAL ->
// DOUBLE, DECIMAL widening, DATE -> TIMESTAMP, TIMESTAMP <-> TIMESTAMP_LTZ. VARCHAR never turns
// into a number implicitly.

#include <string>
#include <vector>

#include "exec/expr/bound_expr.h"

namespace sluice {

/// Types that need no conversion: same id, and the same precision/scale where they matter.
bool SameType(const LogicalType& a, const LogicalType& b);
bool CanImplicitCast(const LogicalType& from, const LogicalType& to);
/// The type both convert to for comparisons, CASE, IN, COALESCE; TypeError otherwise.
Result<LogicalType> CommonType(const LogicalType& a, const LogicalType& b);
/// `expr` itself when it already has type `to`, else CAST(expr AS to).
ExprPtr CastIfNeeded(ExprPtr expr, const LogicalType& to);
/// INT -> DECIMAL(10, 0), BIGINT -> DECIMAL(19, 0), DECIMAL unchanged.
LogicalType AsDecimalType(const LogicalType& t);

/// "STRING and INT" / "STRING, INT, INT": argument types for error messages.
std::string DescribeArgumentTypes(const std::vector<ExprPtr>& args);
/// TypeError "cannot apply 'name' to <types>".
Status CannotApply(const std::string& name, const std::vector<ExprPtr>& args);

/// The unit argument of EXTRACT/TIMESTAMPADD/...: an upper-case VARCHAR literal.
Result<std::string> UnitLiteral(const std::string& function, const ExprPtr& arg);
/// Whether `arg` is a non-NULL literal.
bool IsLiteral(const ExprPtr& arg);

}  // namespace sluice
