#include "runtime/table_row_builder.h"

namespace sluice {

TableRowBuilder::~TableRowBuilder() = default;

Result<std::unique_ptr<TableRowBuilder>> TableRowBuilder::Create(const TableDef& table,
                                                                 const EvalContext& context) {
  std::unique_ptr<TableRowBuilder> builder(new TableRowBuilder());
  builder->table_ = table.name;
  int next_physical = 0;
  for (const ColumnDef& column : table.columns) {
    Slot slot;
    if (column.computed) {
      slot.computed = std::make_unique<ExpressionEvaluator>(column.computed, context);
      builder->pass_through_ = false;
    } else if (!column.metadata_key.empty() || column.is_virtual) {
      return Status::Unsupported("table '" + table.name + "': METADATA column '" +
                                 column.field.name + "' is not supported by this runtime yet");
    } else {
      slot.physical = next_physical++;
    }
    builder->slots_.push_back(std::move(slot));
  }
  builder->num_physical_ = static_cast<size_t>(next_physical);
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
