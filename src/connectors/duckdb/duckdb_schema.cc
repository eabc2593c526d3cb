#include "connectors/duckdb/duckdb_schema.h"

#include <strings.h>

namespace sluice {

std::string DuckDbTypeName(const LogicalType& type) {
  switch (type.id) {
    case TypeId::kBoolean:
      return "BOOLEAN";
    case TypeId::kInt:
      return "INTEGER";
    case TypeId::kBigint:
      return "BIGINT";
    case TypeId::kDouble:
      return "DOUBLE";
    case TypeId::kDecimal:
      return "DECIMAL(" + std::to_string(type.precision) + "," + std::to_string(type.scale) + ")";
    case TypeId::kVarchar:
      return "VARCHAR";
    case TypeId::kTimestamp:
      return "TIMESTAMP";
    case TypeId::kTimestampLtz:
      return "TIMESTAMP WITH TIME ZONE";
    case TypeId::kDate:
      return "DATE";
    case TypeId::kInterval:
      return "INTERVAL";
    case TypeId::kNull:
      break;
  }
  return "VARCHAR";
}

std::string CreateDuckDbTableSql(const std::string& table, const Schema& schema,
                                 const std::vector<int>& primary_key) {
  std::string sql = "CREATE TABLE IF NOT EXISTS " + QuoteDuckDbIdentifier(table) + " (";
  for (size_t i = 0; i < schema.size(); ++i) {
    if (i) sql += ", ";
    sql += QuoteDuckDbIdentifier(schema[i].name) + " " + DuckDbTypeName(schema[i].type);
    if (!schema[i].nullable) sql += " NOT NULL";
  }
  if (!primary_key.empty()) {
    sql += ", PRIMARY KEY (";
    for (size_t i = 0; i < primary_key.size(); ++i) {
      if (i) sql += ", ";
      sql += QuoteDuckDbIdentifier(schema[primary_key[i]].name);
    }
    sql += ")";
  }
  return sql + ")";
}

Status EnsureDuckDbTable(DuckDbConnection& connection, const std::string& table,
                         const Schema& schema, const std::vector<int>& primary_key) {
  const std::string where =
      "table_catalog = current_database() AND table_schema = 'main' AND "
      "table_name = " +
      QuoteDuckDbLiteral(table);
  SLUICE_ASSIGN_OR_RETURN(
      auto columns,
      connection.QueryText("SELECT column_name, data_type FROM information_schema.columns WHERE " +
                           where + " ORDER BY ordinal_position"));
  if (columns.empty()) {
    return connection.Execute(CreateDuckDbTableSql(table, schema, primary_key));
  }
  const std::string prefix = "DuckDB table '" + table + "' exists with a different shape: ";
  if (columns.size() != schema.size()) {
    return Status::InvalidArgument(prefix + "it has " + std::to_string(columns.size()) +
                                   " columns, the sink table declares " +
                                   std::to_string(schema.size()));
  }
  for (size_t i = 0; i < schema.size(); ++i) {
    const std::string& name = columns[i][0].value_or("");
    const std::string& type = columns[i][1].value_or("");
    const std::string expected = DuckDbTypeName(schema[i].type);
    if (strcasecmp(name.c_str(), schema[i].name.c_str()) != 0 || type != expected) {
      return Status::InvalidArgument(prefix + "column " + std::to_string(i + 1) + " is '" + name +
                                     " " + type + "' there but '" + schema[i].name + " " +
                                     expected + "' in the sink table");
    }
  }
  if (primary_key.empty()) return Status::OK();
  SLUICE_ASSIGN_OR_RETURN(
      auto key_rows,
      connection.QueryText("SELECT unnest(constraint_column_names) FROM duckdb_constraints() "
                           "WHERE database_name = current_database() AND schema_name = 'main' "
                           "AND table_name = " +
                           QuoteDuckDbLiteral(table) + " AND constraint_type = 'PRIMARY KEY'"));
  if (key_rows.empty()) return Status::OK();  // upserts work without DuckDB's own key
  std::string theirs, ours;
  for (const auto& row : key_rows) theirs += (theirs.empty() ? "" : ", ") + row[0].value_or("");
  for (int k : primary_key) ours += (ours.empty() ? "" : ", ") + schema[k].name;
  if (strcasecmp(theirs.c_str(), ours.c_str()) != 0) {
    return Status::InvalidArgument(prefix + "its PRIMARY KEY is (" + theirs +
                                   ") but the sink table's is (" + ours + ")");
  }
  return Status::OK();
}

}  // namespace sluice
