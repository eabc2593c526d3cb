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

/// Everything a connector sees of its table when creating a source or sink.
struct TableContext {
  std::shared_ptr<const TableDef> table;
  Schema physical_schema;
  const SessionConfig* session = nullptr;
  /// Sinks only: the rows written form a changelog (updates/deletes by primary key).
  bool updating = false;
};

struct ConnectorSpec {
  std::string_view name;
  std::string_view description;
  std::vector<OptionDef> options;
  /// Null when the connector cannot be read from / written to.
  Result<std::unique_ptr<Source>> (*make_source)(const TableContext& context) = nullptr;
  Result<std::unique_ptr<Sink>> (*make_sink)(const TableContext& context) = nullptr;
};

/// Every connector, in registry.cc.
const std::vector<const ConnectorSpec*>& AllConnectors();
/// The connector named `name`, or a user error listing the known ones (with a did-you-mean).
Result<const ConnectorSpec*> FindConnector(std::string_view name);
/// Checks a table's WITH options against its connector and format: unknown keys (with the
/// closest known key suggested), missing required keys, and the 'format' value itself.
Status ValidateOptions(const ConnectorSpec& spec, const TableDef& table);

}  // namespace sluice
