#pragma once
// ExpressionEvaluator: runs a BoundExpr over a Batch a column at a time.
//
// Built once per operator instance (it may precompile: constant folding, LIKE/regex patterns,
// date format strings), then called for every batch from that instance's thread only.
// Evaluation errors that depend on data (integer division by zero, a failed CAST) are
// RuntimeErrors naming the function and the offending value; TRY_CAST yields NULL instead.

#include <cstdint>
#include <memory>

#include "columnar/batch.h"
#include "exec/expr/bound_expr.h"
#include "types/time_zone.h"

namespace sluice {

struct EvalContext {
  TimeZone time_zone = TimeZone::Utc();  // session zone: TIMESTAMP_LTZ <-> wall clock
};

class ExpressionEvaluator {
 public:
  ExpressionEvaluator(ExprPtr expr, EvalContext context);
  ~ExpressionEvaluator();

  /// Values of the expression for rows rows[0..count) of `batch` (all rows in order when `rows`
  /// is null and count == batch.num_rows()). The result has `count` rows.
  Result<ColumnPtr> Evaluate(const Batch& batch, const uint32_t* rows, size_t count);

  /// For a BOOLEAN expression: writes the indices of the rows (among rows[0..count), or all rows
  /// when `rows` is null) where it is TRUE (not FALSE, not NULL) into out_rows, which has room for
  /// `count` entries. Returns how many.
  Result<size_t> Filter(const Batch& batch, const uint32_t* rows, size_t count, uint32_t* out_rows);

  const ExprPtr& expr() const { return expr_; }

 private:
  struct Impl;
  ExprPtr expr_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sluice
