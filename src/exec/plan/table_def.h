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
  /// METADATA column: the connector's key ('offset', 'timestamp'), else empty.
  std::string metadata_key;
  /// METADATA ... VIRTUAL: read by sources, never written by sinks.
  bool is_virtual = false;

  bool is_metadata() const { return !metadata_key.empty(); }
  bool is_physical() const { return !computed && metadata_key.empty(); }
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
  /// For each physical column, its index in `columns`.
  std::vector<int> PhysicalColumnIndices() const;
  /// What a source connector produces, as indices into `columns`: the physical columns, then
  /// every metadata column, each group in declared order. Computed columns are bound over this
  /// row.
  std::vector<int> SourceColumnIndices() const;
  /// What a sink connector receives: the physical columns, then the non-VIRTUAL metadata ones.
  std::vector<int> SinkColumnIndices() const;
  /// The columns an INSERT fills, in declared order: physical and non-VIRTUAL metadata.
  std::vector<int> PersistedColumnIndices() const;
  Schema SchemaOf(const std::vector<int>& indices) const;
  /// The metadata keys of the metadata columns among `indices`, in order.
  std::vector<std::string> MetadataKeysOf(const std::vector<int>& indices) const;
  std::string ConnectorName() const;
};

}  // namespace sluice
