#pragma once
// BoundExpr: a type-checked scalar expression over the columns of one input — what the binder
// produces and the vectorized evaluator runs. Immutable once built; shared between plan nodes.
//
// Special forms are calls with reserved names, so one evaluator switch covers them:
//   "and" "or" "not"              three-valued logic (Flink/SQL semantics)
//   "is_null" "is_not_null" "is_true" "is_false" ...
//   "in"      children[0] IN (children[1..])
//   "like"    children[0] LIKE children[1] [ESCAPE children[2]]
//   "coalesce", arithmetic "+" "-" "*" "/" "%", comparisons "=" "<>" "<" "<=" ">" ">=",
//   string/math/time functions by their lower-case Flink name ("upper", "date_format", ...).
// kCase children: when1, then1, when2, then2, ..., [else] (has_else tells).
// kCast: children[0] cast to `type`; try_cast gives NULL instead of an error.

#include <memory>
#include <string>
#include <vector>

#include "types/logical_type.h"
#include "types/value.h"

namespace sluice {

enum class ExprKind : uint8_t { kColumnRef, kLiteral, kCall, kCast, kCase };

struct BoundExpr;
using ExprPtr = std::shared_ptr<const BoundExpr>;

struct BoundExpr {
  ExprKind kind = ExprKind::kLiteral;
  LogicalType type;
  int column = -1;        // kColumnRef: index into the input batch
  std::string name;       // kColumnRef: column name (for printing); kCall: function name
  Value literal;          // kLiteral
  bool has_else = false;  // kCase
  bool try_cast = false;  // kCast
  std::vector<ExprPtr> children;

  static ExprPtr ColumnRef(int column, LogicalType type, std::string name = "");
  static ExprPtr Literal(Value value);
  static ExprPtr Call(std::string function, LogicalType type, std::vector<ExprPtr> children);
  static ExprPtr Cast(ExprPtr child, LogicalType type, bool try_cast = false);
  static ExprPtr Case(LogicalType type, std::vector<ExprPtr> children, bool has_else);

  /// Readable form for EXPLAIN: "($2 > 10) AND upper($1)".
  std::string ToString() const;
  bool IsColumnRef() const { return kind == ExprKind::kColumnRef; }
};

}  // namespace sluice
