#pragma once
// ExpressionBinder: syntax-tree expressions -> type-checked BoundExprs over a Scope.
//
// Names resolve against the scope; calls are type-checked by the function registry
// (exec/functions/function_registry.h), which also inserts implicit casts. Aggregate and window
// functions are only legal where an Interceptor handles them (the aggregate planner installs one
// that maps GROUP BY expressions, aggregates and window properties to the aggregate's output
// columns); elsewhere they are errors naming the position.

#include <functional>

#include "exec/expr/bound_expr.h"
#include "sql/binder/scope.h"

namespace sluice::sql {

class ExpressionBinder {
 public:
  /// Called on every node before it is bound. Returns a bound expression to use instead of the
  /// subtree, nullptr to bind it normally, or an error.
  using Interceptor = std::function<Result<ExprPtr>(const ExprNode& node)>;

  explicit ExpressionBinder(const Scope* scope, Interceptor interceptor = nullptr)
      : scope_(scope), interceptor_(std::move(interceptor)) {}

  Result<ExprPtr> Bind(const ExprNode& node) const;

 private:
  Result<ExprPtr> BindInner(const ExprNode& node) const;
  Result<ExprPtr> BindCall(const ExprNode& node) const;
  Result<std::vector<ExprPtr>> BindArgs(const ExprNode& node) const;

  const Scope* scope_;
  Interceptor interceptor_;
};

/// Aggregate function names sluice runs (lower case): count, sum, avg, min, max.
bool IsAggregateFunction(const std::string& lower_name);
/// TUMBLE/HOP/SESSION/CUMULATE and their _START/_END/_ROWTIME/_PROCTIME properties.
bool IsGroupWindowFunction(const std::string& lower_name);
std::string Lower(std::string_view s);

/// A literal's value: INTERVAL '5' SECOND -> 5'000'000 micros, DATE/TIMESTAMP parsed, numbers
/// typed as Flink does (INT when it fits, else BIGINT, DECIMAL(p,s) for exact decimals).
Result<Value> BindLiteral(const ExprNode& node);

}  // namespace sluice::sql
