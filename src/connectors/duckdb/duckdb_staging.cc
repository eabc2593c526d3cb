#include "connectors/duckdb/duckdb_staging.h"

#include <strings.h>

#include "connectors/duckdb/duckdb_schema.h"

namespace sluice {

namespace {

constexpr const char* kLeadingColumns[] = {"_sink", "_ckpt", "_writer", "_seq", "_op"};
constexpr const char* kLeadingTypeNames[] = {"BIGINT", "BIGINT", "INTEGER", "BIGINT", "UTINYINT"};

// FNV-1a: stable across runs and builds, unlike std::hash.
uint64_t Fnv1a(std::string_view text, uint64_t hash = 14695981039346656037ull) {
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

std::string CreateStageSql(const std::string& stage, const Schema& schema) {
  std::string sql = "CREATE TABLE IF NOT EXISTS " + QuoteDuckDbIdentifier(stage) + " (";
  for (size_t i = 0; i < std::size(kLeadingColumns); ++i) {
    sql += std::string(kLeadingColumns[i]) + " " + kLeadingTypeNames[i] + ", ";
  }
  // No constraints: a staged deletion or retraction is a whole row, but it is never checked.
  for (size_t i = 0; i < schema.size(); ++i) {
    if (i) sql += ", ";
    sql += QuoteDuckDbIdentifier(schema[i].name) + " " + DuckDbTypeName(schema[i].type);
  }
  return sql + ")";
}

// Whether the staging table has the leading columns and then those of `schema`.
Result<bool> StageHasShape(DuckDbConnection& connection, const std::string& stage,
                           const Schema& schema, bool* exists) {
  SLUICE_ASSIGN_OR_RETURN(
      auto columns,
      connection.QueryText("SELECT column_name, data_type FROM information_schema.columns WHERE "
                           "table_catalog = current_database() AND table_schema = 'main' AND "
                           "table_name = " +
                           QuoteDuckDbLiteral(stage) + " ORDER BY ordinal_position"));
  *exists = !columns.empty();
  std::vector<std::pair<std::string, std::string>> expected;
  for (size_t i = 0; i < std::size(kLeadingColumns); ++i) {
    expected.emplace_back(kLeadingColumns[i], kLeadingTypeNames[i]);
  }
  for (const Field& f : schema.fields) expected.emplace_back(f.name, DuckDbTypeName(f.type));
  if (columns.size() != expected.size()) return false;
  for (size_t i = 0; i < expected.size(); ++i) {
    if (columns[i][0].value_or("") != expected[i].first ||
        columns[i][1].value_or("") != expected[i].second) {
      return false;
    }
  }
  return true;
}

}  // namespace

DuckDbStageTarget MakeDuckDbStageTarget(const std::string& pipeline, const std::string& uid) {
  // The separator keeps ("a", "bc") and ("ab", "c") apart.
  const uint64_t hash = Fnv1a(uid, Fnv1a(std::string_view("\0", 1), Fnv1a(pipeline)));
  return DuckDbStageTarget{pipeline, uid, static_cast<int64_t>(hash >> 1)};
}

std::string DuckDbStageTable(const std::string& table) {
  return "_sluice_stage_" + table;
}

const std::vector<duckdb_type>& DuckDbStageLeadingTypes() {
  static const std::vector<duckdb_type> types = {DUCKDB_TYPE_BIGINT, DUCKDB_TYPE_BIGINT,
                                                 DUCKDB_TYPE_INTEGER, DUCKDB_TYPE_BIGINT,
                                                 DUCKDB_TYPE_UTINYINT};
  return types;
}

Status EnsureDuckDbStaging(DuckDbConnection& connection, const std::string& table,
                           const Schema& schema) {
  SLUICE_RETURN_IF_ERROR(connection.Execute(
      "CREATE TABLE IF NOT EXISTS " + std::string(kDuckDbCheckpointsTable) +
      " (pipeline VARCHAR NOT NULL, sink VARCHAR NOT NULL, writer INTEGER NOT NULL, "
      "checkpoint BIGINT NOT NULL, committed_at TIMESTAMP WITH TIME ZONE, "
      "PRIMARY KEY (pipeline, sink, writer))"));
  const std::string stage = DuckDbStageTable(table);
  for (const Field& f : schema.fields) {
    for (const char* leading : kLeadingColumns) {
      if (strcasecmp(f.name.c_str(), leading) == 0) {
        return Status::InvalidArgument("column '" + f.name + "' of DuckDB table '" + table +
                                       "' is reserved by the exactly-once sink's staging table; "
                                       "rename it or set 'sink.delivery-guarantee' = "
                                       "'at-least-once'");
      }
    }
  }
  bool exists = false;
  SLUICE_ASSIGN_OR_RETURN(bool same, StageHasShape(connection, stage, schema, &exists));
  if (exists && !same) {
    SLUICE_ASSIGN_OR_RETURN(
        auto rows, connection.QueryText("SELECT count(*) FROM " + QuoteDuckDbIdentifier(stage)));
    if (rows.empty() || rows[0][0].value_or("0") != "0") {
      return Status::InvalidArgument("DuckDB staging table '" + stage +
                                     "' holds uncommitted rows of another shape than '" + table +
                                     "': drop it to discard them");
    }
    SLUICE_RETURN_IF_ERROR(connection.Execute("DROP TABLE " + QuoteDuckDbIdentifier(stage)));
  }
  return connection.Execute(CreateStageSql(stage, schema));
}

}  // namespace sluice
