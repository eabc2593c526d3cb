#pragma once
// TableDef: a table declared with CREATE TABLE — its columns, time attribute and WITH options.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "columnar/batch.h"
#include "exec/expr/bound_expr.h"

namespace sluice {

/// WITH ('key' = 'value', ...). Keys keep their spelling; lookups are exact (as in Flink).
using Options = std::map<std::string, std::string>;

struct ColumnDef {
  Field field;
  /// Computed column (`name AS expr`): the expression over the physical columns, else null.
  ExprPtr computed;
  /// METADATA columns come later with Kafka; kept here so the layout is stable.
  std::string metadata_key;
  bool is_virtual = false;
};

struct WatermarkDef {
  int rowtime_column = -1;  // index into TableDef::columns
  /// The WATERMARK FOR expression over the full table row (physical + computed columns).
  ExprPtr expression;
  /// When the expression is `col - INTERVAL 'n' unit` (the usual case): n in microseconds.
  std::optional<int64_t> fixed_delay_micros;
};

struct TableDef {
  std::string name;
  std::vector<ColumnDef> columns;  // declared order
  std::optional<WatermarkDef> watermark;
  std::vector<int> primary_key;  // indices into columns
  Options options;

  /// Every column, declared order (what SELECT * sees).
  Schema FullSchema() const;
  /// Physical columns only (what a connector reads or writes), declared order.
  Schema PhysicalSchema() const;
  /// For each physical column, its index in `columns`.
  std::vector<int> PhysicalColumnIndices() const;
  std::string ConnectorName() const;
};

}  // namespace sluice
