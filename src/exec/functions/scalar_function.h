#pragma once
// ScalarFunction: one entry of the function table. `bind` type-checks a call (picking the overload,
// inserting implicit casts, computing the result type); `resolve` picks the kernel for a bound call
// once per evaluator (and precompiles constant arguments such as patterns and units).
//
// Kernels run over a whole batch: they receive their arguments already evaluated over the rows
// being computed, each either a column of `count` rows or a constant (one row, broadcast), and
// fill a pre-sized output column. They are plain function pointers called once per batch, never
// per row; inside, each is a typed loop.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "columnar/column.h"
#include "exec/expr/bound_expr.h"
#include "types/time_zone.h"

namespace sluice {

/// An evaluated argument.
struct Datum {
  ColumnPtr column;       // `count` rows, or exactly one row when constant
  bool constant = false;  // broadcast row 0 to every row

  template <typename T>
  const T* data() const {
    return column->data<T>();
  }
  bool IsNull(size_t row) const { return column->IsNull(constant ? 0 : row); }
  bool HasNulls() const { return column->HasNulls(); }
  /// A constant that is NULL (every row NULL).
  bool IsNullConstant() const { return constant && column->IsNull(0); }
};

struct KernelContext {
  const TimeZone* time_zone = nullptr;  // session zone for TIMESTAMP_LTZ wall-clock parts
  const void* state = nullptr;          // what `resolve` prepared, or null
  int64_t now_micros = 0;               // the instant the current evaluation started (UTC)
  bool try_cast = false;                // CAST failures give NULL instead of an error
};

/// Computes `count` rows into `out` (already sized to `count`, all valid, no mask). A kernel sets
/// the validity it produces and returns RuntimeError for data-dependent failures.
using KernelFn = Status (*)(const KernelContext& ctx, const Datum* args, size_t num_args,
                            size_t count, Column* out);

/// Filter fast path for BOOLEAN calls whose arguments are constants or whole batch columns
/// (indexed by batch row): writes the rows among rows[0..count) (0..count when rows is null) where
/// the call is TRUE into out, in order, and returns how many. `out` may alias `rows`.
using SelectFn = size_t (*)(const KernelContext& ctx, const Datum* args, const uint32_t* rows,
                            size_t count, uint32_t* out);

struct ResolvedKernel {
  KernelFn kernel = nullptr;
  SelectFn select = nullptr;
  std::shared_ptr<const void> state;  // passed as KernelContext::state
};

/// For each argument of a call being resolved: its value when it is a constant (a literal, or
/// folded by the evaluator), else nullopt. Lets `resolve` precompile patterns, sets and units.
using ConstantArgs = std::vector<std::optional<Value>>;

struct ScalarFunction {
  const char* name;
  int min_args;
  int max_args;  // -1: any number
  /// Type-checks `name(args)` (arity already checked) and returns the bound call.
  Result<ExprPtr> (*bind)(const std::string& name, std::vector<ExprPtr>& args);
  /// Chooses the kernel for a call produced by `bind`.
  Result<ResolvedKernel> (*resolve)(const BoundExpr& call, const ConstantArgs& constants);
  /// False for rand/uuid/now...: never constant-folded; `per_row` ones also run once per row.
  bool deterministic = true;
  bool per_row = false;
};

/// The function table, looked up by lower-case name; null when unknown.
const ScalarFunction* FindScalarFunction(const std::string& name);

/// Kernel for CAST(from AS to) between different types (a cast to the same type is never built:
/// see SameType); TRY_CAST uses the same kernel with KernelContext::try_cast.
Result<ResolvedKernel> ResolveCast(const LogicalType& from, const LogicalType& to);

// Each family file contributes its entries; function_registry.cc concatenates them.
std::span<const ScalarFunction> ArithmeticFunctions();
std::span<const ScalarFunction> ComparisonFunctions();
std::span<const ScalarFunction> LogicalFunctions();
std::span<const ScalarFunction> ConditionalFunctions();
std::span<const ScalarFunction> StringFunctions();
std::span<const ScalarFunction> PatternFunctions();
std::span<const ScalarFunction> MathFunctions();
std::span<const ScalarFunction> TimeFunctions();

}  // namespace sluice
