#pragma once
// How a sink table maps onto a DuckDB table: column types, the CREATE TABLE statement, and the
// check that an existing table has the same shape.
//
//   BOOLEAN -> BOOLEAN        INT -> INTEGER         BIGINT -> BIGINT      DOUBLE -> DOUBLE
//   DECIMAL(p,s) -> DECIMAL(p,s)   STRING -> VARCHAR  DATE -> DATE        INTERVAL -> INTERVAL
//   TIMESTAMP(p) -> TIMESTAMP      TIMESTAMP_LTZ(p) -> TIMESTAMP WITH TIME ZONE (TIMESTAMPTZ)

#include <string>
#include <vector>

#include "columnar/batch.h"
#include "connectors/duckdb/duckdb_database.h"

namespace sluice {

/// DuckDB's name of the type, as information_schema.columns spells it.
std::string DuckDbTypeName(const LogicalType& type);

/// CREATE TABLE IF NOT EXISTS with NOT NULL columns and PRIMARY KEY (`primary_key`: indices
/// into `schema`).
std::string CreateDuckDbTableSql(const std::string& table, const Schema& schema,
                                 const std::vector<int>& primary_key);

/// Creates `table` when it is missing. When it exists its columns must have the schema's names
/// (any case), types and order, and a primary key it has must be ours; a difference is a user
/// error naming it. Callers hold the database's schema_mutex().
Status EnsureDuckDbTable(DuckDbConnection& connection, const std::string& table,
                         const Schema& schema, const std::vector<int>& primary_key);

}  // namespace sluice
