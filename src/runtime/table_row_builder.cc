#include "runtime/table_row_builder.h"

namespace sluice {

TableRowBuilder::~TableRowBuilder() = default;

Result<std::unique_ptr<TableRowBuilder>> TableRowBuilder::Create(const TableDef& table,
                                                                 const EvalContext& context) {
  std::unique_ptr<TableRowBuilder> builder(new TableRowBuilder());
  builder->table_ = table.name;
  // Where each column sits in the produced row (physical columns, then metadata columns).
  const std::vector<int> produced = table.SourceColumnIndices();
  std::vector<int> position(table.columns.size(), -1);
  for (size_t p = 0; p < produced.size(); ++p) position[produced[p]] = static_cast<int>(p);
  for (size_t i = 0; i < table.columns.size(); ++i) {
    const ColumnDef& column = table.columns[i];
    Slot slot;
    if (column.computed) {
      slot.computed = std::make_unique<ExpressionEvaluator>(column.computed, context);
      builder->pass_through_ = false;
    } else {
      slot.physical = position[i];
      if (slot.physical != static_cast<int>(i)) builder->pass_through_ = false;
    }
    builder->slots_.push_back(std::move(slot));
  }
  builder->num_physical_ = produced.size();
  return builder;
}

Result<Batch> TableRowBuilder::Build(Batch physical) {
  if (physical.num_columns() != num_physical_) {
    return Status::Internal("table '" + table_ + "': the connector produced " +
                            std::to_string(physical.num_columns()) + " columns, expected " +
                            std::to_string(num_physical_));
  }
  if (pass_through_) return physical;
  const size_t rows = physical.num_rows();
  std::vector<ColumnPtr> columns;
  columns.reserve(slots_.size());
  for (Slot& slot : slots_) {
    if (slot.physical >= 0) {
      columns.push_back(physical.column(static_cast<size_t>(slot.physical)));
      continue;
    }
    auto value = slot.computed->Evaluate(physical, nullptr, rows);
    if (!value.ok()) return value.status().WithContext("table '" + table_ + "'");
    columns.push_back(std::move(value).value());
  }
  Batch full(std::move(columns), rows);
  if (physical.has_row_kinds()) full.set_row_kinds(physical.row_kinds());
  return full;
}

}  // namespace sluice
