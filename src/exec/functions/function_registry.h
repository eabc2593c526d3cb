#pragma once
// The one table of scalar functions: the binder asks it to type-check a call (choosing the
// overload, inserting implicit casts, computing the result type), and the evaluator looks up the
// kernel of the bound call. Names are lower-case.
//
// Calling conventions for SQL forms that are not plain calls (the binder produces these):
//   EXTRACT(YEAR FROM x)          extract('YEAR', x)
//   FLOOR(ts TO HOUR), CEIL(...)   timestamp_floor('HOUR', ts), timestamp_ceil('HOUR', ts)
//   TIMESTAMPADD(MINUTE, n, ts)   timestampadd('MINUTE', n, ts)
//   TIMESTAMPDIFF(DAY, a, b)      timestampdiff('DAY', a, b)
//   POSITION(a IN b)              position(a, b)
//   TRIM(BOTH 'x' FROM s)         trim('BOTH', 'x', s)   (TRIM(s) -> trim('BOTH', ' ', s))
//   SUBSTRING(s FROM a FOR b)     substring(s, a, b)
//   x BETWEEN a AND b             (x >= a) and (x <= b)
//   x NOT IN (...)                not(in(x, ...))
//   ts + INTERVAL '5' SECOND      +(ts, 5000000 :: INTERVAL)
//   CASE x WHEN v THEN ...        CASE WHEN x = v THEN ...
// Unit arguments are VARCHAR literals in upper case.

#include <string>
#include <vector>

#include "exec/expr/bound_expr.h"

namespace sluice {

/// Type-checks `name(args...)` and returns the bound call. Unknown functions get a did-you-mean.
Result<ExprPtr> BindFunctionCall(const std::string& name, std::vector<ExprPtr> args);
/// CASE WHEN c1 THEN v1 ... [ELSE e] END: conditions must be BOOLEAN, values get a common type.
Result<ExprPtr> BindCase(std::vector<ExprPtr> children, bool has_else);
/// CAST / TRY_CAST, checking that the conversion exists.
Result<ExprPtr> BindCast(ExprPtr child, LogicalType target, bool try_cast);
/// Inserts an implicit cast when `expr` is not already of `target` (used for INSERT INTO).
Result<ExprPtr> CoerceTo(ExprPtr expr, LogicalType target);
bool IsScalarFunction(const std::string& name);
/// Every callable name, for did-you-mean hints and docs.
std::vector<std::string> ScalarFunctionNames();

}  // namespace sluice
