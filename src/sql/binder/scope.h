#pragma once
// Scope: the columns an expression can name — the output of the FROM clause (or of a subquery),
// each with the table alias that qualifies it.

#include <string>
#include <vector>

#include "sql/binder/catalog.h"
#include "types/logical_type.h"

namespace sluice::sql {

struct ScopeColumn {
  std::string name;
  std::string qualifier;  // table name or alias; empty for derived columns
  LogicalType type;
};

class Scope {
 public:
  Scope() = default;
  explicit Scope(std::vector<ScopeColumn> columns) : columns_(std::move(columns)) {}

  const std::vector<ScopeColumn>& columns() const { return columns_; }
  size_t size() const { return columns_.size(); }

  /// Index of the column `name` refers to ("a" or "t.a"), or a BindError naming the position:
  /// unknown (with did-you-mean) or ambiguous.
  Result<int> Resolve(const QualifiedName& name) const;
  /// Indices of the columns `t.*` (or `*` when qualifier is empty) expands to.
  Result<std::vector<int>> Expand(const std::string& qualifier,
                                  const SourceLocation& location) const;

 private:
  std::vector<ScopeColumn> columns_;
};

}  // namespace sluice::sql
