#include "sql/binder/table_binder.h"

#include <set>

#include "common/did_you_mean.h"
#include "connectors/connector.h"
#include "sql/binder/expression_binder.h"

namespace sluice::sql {

namespace {

// `ts - INTERVAL 'n' unit` or plain `ts`: the delay, for the runtime's fast path.
std::optional<int64_t> FixedDelay(const ExprPtr& expr, int rowtime_column) {
  if (expr->kind == ExprKind::kColumnRef && expr->column == rowtime_column) return 0;
  if (expr->kind == ExprKind::kCall && expr->name == "-" && expr->children.size() == 2 &&
      expr->children[0]->kind == ExprKind::kColumnRef &&
      expr->children[0]->column == rowtime_column &&
      expr->children[1]->kind == ExprKind::kLiteral &&
      expr->children[1]->type.id == TypeId::kInterval && !expr->children[1]->literal.is_null()) {
    return expr->children[1]->literal.GetInt64();
  }
  return std::nullopt;
}

// Every METADATA column must name a key the connector offers, with that key's type.
Status CheckMetadataColumns(const ConnectorSpec& spec, const TableDef& table,
                            const CreateTableStmt& stmt, const SourceLocation& location) {
  for (size_t i = 0; i < table.columns.size(); ++i) {
    const ColumnDef& column = table.columns[i];
    if (!column.is_metadata()) continue;
    const SourceLocation& where = stmt.columns[i].location;
    const MetadataDef* def = nullptr;
    std::vector<std::string> keys;
    for (const MetadataDef& m : spec.metadata) {
      if (m.key == column.metadata_key) def = &m;
      keys.emplace_back(m.key);
    }
    if (!def) {
      std::string known;
      for (const auto& k : keys) known += (known.empty() ? "" : ", ") + k;
      return ErrorAt(where, ErrorCode::kBindError,
                     "connector '" + std::string(spec.name) + "' has no metadata key '" +
                         column.metadata_key + "'" + DidYouMeanSuffix(column.metadata_key, keys) +
                         (known.empty() ? " (it offers none)" : " (it offers: " + known + ")"));
    }
    if (column.field.type != def->type) {
      return ErrorAt(where, ErrorCode::kTypeError,
                     "metadata column '" + column.field.name + "' ('" + column.metadata_key +
                         "') must be declared " + def->type.ToString() + ", not " +
                         column.field.type.ToString());
    }
  }
  return Status::OK();
}

}  // namespace

Result<std::shared_ptr<TableDef>> BindCreateTable(
    const CreateTableStmt& stmt, const SourceLocation& location,
    const std::vector<const ConnectorSpec*>& extra_connectors) {
  auto table = std::make_shared<TableDef>();
  table->name = stmt.name.last().name;

  std::set<std::string> seen;
  // Physical and metadata columns first: computed columns may reference them.
  std::vector<ScopeColumn> scope_columns;
  for (const auto& spec : stmt.columns) {
    std::string key = Lower(spec.name.name);
    if (!seen.insert(key).second) {
      return ErrorAt(spec.location, ErrorCode::kBindError,
                     "column '" + spec.name.name + "' is declared twice");
    }
    ColumnDef column;
    column.field.name = spec.name.name;
    if (spec.kind != ColumnSpec::Kind::kComputed) {
      if (spec.type.is_row) {
        return ErrorAt(spec.type.location, ErrorCode::kUnsupported,
                       "ROW columns are not supported yet");
      }
      column.field.type = spec.type.logical;
      column.field.nullable = !spec.type.not_null;
      if (spec.kind == ColumnSpec::Kind::kMetadata) {
        column.metadata_key = spec.metadata_key.empty() ? spec.name.name : spec.metadata_key;
        column.is_virtual = spec.is_virtual;
      }
    }
    table->columns.push_back(std::move(column));
  }
  // Computed columns see the physical and metadata columns (as in Flink, not other computed
  // ones); their column indices refer to the row the source connector produces: physical
  // columns, then metadata columns.
  for (int i : table->SourceColumnIndices()) {
    const Field& field = table->columns[i].field;
    scope_columns.push_back({field.name, table->name, field.type});
  }
  Scope physical(scope_columns);
  std::vector<ScopeColumn> full_scope_columns;
  for (size_t i = 0; i < stmt.columns.size(); ++i) {
    const auto& spec = stmt.columns[i];
    if (spec.kind == ColumnSpec::Kind::kComputed) {
      ExpressionBinder binder(&physical);
      SLUICE_ASSIGN_OR_RETURN(ExprPtr expr, binder.Bind(*spec.expr));
      table->columns[i].computed = expr;
      table->columns[i].field.type = expr->type;
    }
    full_scope_columns.push_back({spec.name.name, table->name, table->columns[i].field.type});
  }

  if (stmt.has_watermark) {
    const auto& wm = stmt.watermark;
    Scope scope(full_scope_columns);
    SLUICE_ASSIGN_OR_RETURN(int rowtime, scope.Resolve(wm.column));
    const LogicalType& type = table->columns[rowtime].field.type;
    if (!type.IsTimestamp() || type.precision > 3) {
      return ErrorAt(wm.column.location(), ErrorCode::kTypeError,
                     "the WATERMARK column '" + wm.column.ToString() +
                         "' must be TIMESTAMP(3) or TIMESTAMP_LTZ(3) (precision 0 to 3), but it "
                         "is " +
                         type.ToString() +
                         "; for epoch millis use a computed column such as `ts AS "
                         "TO_TIMESTAMP_LTZ(millis, 3)`");
    }
    ExpressionBinder binder(&scope);
    SLUICE_ASSIGN_OR_RETURN(ExprPtr expr, binder.Bind(*wm.expr));
    if (!expr->type.IsTimestamp()) {
      return ErrorAt(
          wm.expr->location, ErrorCode::kTypeError,
          "the WATERMARK expression must return a timestamp, not " + expr->type.ToString());
    }
    WatermarkDef def;
    def.rowtime_column = rowtime;
    def.expression = expr;
    def.fixed_delay_micros = FixedDelay(expr, rowtime);
    table->watermark = def;
  }

  if (stmt.has_primary_key) {
    Scope scope(full_scope_columns);
    for (const auto& id : stmt.primary_key.columns) {
      QualifiedName name;
      name.parts.push_back(id);
      SLUICE_ASSIGN_OR_RETURN(int index, scope.Resolve(name));
      if (table->columns[index].computed) {
        return ErrorAt(id.location, ErrorCode::kBindError,
                       "a primary key column must be physical, '" + id.name + "' is computed");
      }
      table->primary_key.push_back(index);
      table->columns[index].field.nullable = false;
    }
  }

  for (const auto& option : stmt.options) {
    if (!table->options.emplace(option.key, option.value).second) {
      return ErrorAt(option.location, ErrorCode::kInvalidOption,
                     "option '" + option.key + "' is given twice");
    }
  }
  std::string connector = table->ConnectorName();
  if (connector.empty()) {
    return ErrorAt(location, ErrorCode::kInvalidOption,
                   "table '" + table->name + "' needs a 'connector' option in WITH (...)");
  }
  auto spec = FindConnector(connector, extra_connectors);
  if (!spec.ok()) return AddLocation(spec.status(), location);
  if ((*spec)->changelog_source && table->primary_key.empty()) {
    // Upsert semantics: rows update or delete each other by key (as Flink's upsert-kafka).
    return ErrorAt(location, ErrorCode::kBindError,
                   "'" + connector +
                       "' tables require to define a PRIMARY KEY constraint: the PRIMARY KEY "
                       "says by which columns rows update or delete each other (table '" +
                       table->name + "')");
  }
  Status valid = ValidateOptions(**spec, *table);
  if (!valid.ok()) return AddLocation(valid.WithContext("table '" + table->name + "'"), location);
  SLUICE_RETURN_IF_ERROR(CheckMetadataColumns(**spec, *table, stmt, location));
  return table;
}

}  // namespace sluice::sql
