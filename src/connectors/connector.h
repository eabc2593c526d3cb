#pragma once
// ConnectorSpec: what each connector folder exports, and the one registration table
// (registry.cc) the planner looks connectors up in.
//
// A connector declares its WITH options (with defaults and docs) so that unknown options are
// rejected with a did-you-mean hint before anything runs. Keys may contain one '#' standing for
// any column name ("fields.#.kind"). Options of the table's format ('json.ignore-parse-errors')
// are declared by the format (formats/format.h) and accepted when that format is selected.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "exec/plan/table_def.h"
#include "runtime/dead_letter.h"
#include "runtime/session_config.h"
#include "runtime/sink.h"
#include "runtime/source.h"

namespace sluice {

struct OptionDef {
  std::string_view key;
  std::string_view default_value;  // empty: no default
  std::string_view description;
  bool required = false;
};

/// A metadata key a connector can read ('offset') or write ('timestamp'): columns declared
/// `name TYPE METADATA [FROM 'key'] [VIRTUAL]` bind to it.
struct MetadataDef {
  std::string_view key;
  LogicalType type;  // the column's declared type must be this one (Flink casts; we require it)
  bool readable = true;
  bool writable = false;
  std::string_view description;
};

/// Everything a connector sees of its table when creating a source or sink.
struct TableContext {
  std::shared_ptr<const TableDef> table;
  /// The columns the connector reads or writes, in this order: the physical columns (declared
  /// order), then the metadata columns — every metadata column for a source, the non-VIRTUAL
  /// ones for a sink. Readers' batches and writers' input have exactly this schema.
  Schema physical_schema;
  /// For each metadata column at the end of physical_schema, its metadata key, in order.
  std::vector<std::string> metadata_keys;
  const SessionConfig* session = nullptr;
  /// Sinks only: the rows written form a changelog (updates/deletes by primary key).
  bool updating = false;
  /// Sources only: dead-letter and skip counters of this table (never null for sources).
  std::shared_ptr<SourceErrorCounters> errors;

  /// Physical columns only (without the metadata columns at the end).
  size_t num_value_columns() const { return physical_schema.size() - metadata_keys.size(); }
};

struct ConnectorSpec {
  std::string_view name;
  std::string_view description;
  std::vector<OptionDef> options;
  /// Null when the connector cannot be read from / written to.
  Result<std::unique_ptr<Source>> (*make_source)(const TableContext& context) = nullptr;
  Result<std::unique_ptr<Sink>> (*make_sink)(const TableContext& context) = nullptr;
  /// Metadata keys the connector offers; empty when it has none.
  std::vector<MetadataDef> metadata;
  /// Its sources emit an upsert changelog whatever the format (upsert-kafka): +U rows carrying
  /// the full new row of their key (no -U before them; maybe the key's first row) and -D rows
  /// that may carry only the key columns. Such a table needs a PRIMARY KEY (a bind error
  /// otherwise), and the planner reads it through a ChangelogNormalize keyed by that key, which
  /// turns the upsert stream into a proper changelog (+I/-U/+U/-D with full rows).
  bool changelog_source = false;
};

/// Every connector, in registry.cc.
const std::vector<const ConnectorSpec*>& AllConnectors();
/// The connector named `name`, or a user error listing the known ones (with a did-you-mean).
Result<const ConnectorSpec*> FindConnector(std::string_view name);
/// As above, looking in `extra` (connectors of tests and tools) before the registry.
Result<const ConnectorSpec*> FindConnector(std::string_view name,
                                           const std::vector<const ConnectorSpec*>& extra);
/// True when reading `table` yields a changelog: its connector is a changelog source, or its
/// 'format' / 'value.format' produces one (debezium-json). Unknown names count as append-only
/// (ValidateOptions reports them).
bool ProducesChangelog(const TableDef& table, const ConnectorSpec* connector);

/// Checks a table's WITH options against its connector and format: unknown keys (with the
/// closest known key suggested), missing required keys, and the 'format' value itself.
Status ValidateOptions(const ConnectorSpec& spec, const TableDef& table);

}  // namespace sluice
