#pragma once
// TableRowBuilder: turns what a connector reads (the table's physical columns, then its metadata
// columns: TableDef::SourceColumnIndices) into the full table row the plan scans (every column in
// declared order): physical and metadata columns pass through untouched, computed columns
// (`name AS expr`) are evaluated over the produced row.
//
// One per source task, used from that task's thread only (the evaluators keep scratch state).

#include <memory>
#include <vector>

#include "exec/expr/evaluator.h"
#include "exec/plan/table_def.h"

namespace sluice {

class TableRowBuilder {
 public:
  static Result<std::unique_ptr<TableRowBuilder>> Create(const TableDef& table,
                                                         const EvalContext& context);
  ~TableRowBuilder();

  /// `physical` has the produced schema (physical + metadata columns); the result has its full
  /// schema. Row kinds are kept.
  Result<Batch> Build(Batch physical);

 private:
  struct Slot {
    int physical = -1;  // index in the physical batch, or -1 for a computed column
    std::unique_ptr<ExpressionEvaluator> computed;
  };
  TableRowBuilder() = default;

  std::string table_;
  size_t num_physical_ = 0;
  bool pass_through_ = true;  // no computed columns: the physical row is the full row
  std::vector<Slot> slots_;
};

}  // namespace sluice
