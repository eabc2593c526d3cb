#pragma once
// Binds CREATE TABLE to a TableDef: column types, computed columns (over the physical columns),
// the WATERMARK (whose rowtime column must be TIMESTAMP(3) or TIMESTAMP_LTZ(3)), the primary key,
// and the WITH options (duplicates rejected; connector and format options validated).

#include <memory>

#include "exec/plan/table_def.h"
#include "sql/binder/catalog.h"

namespace sluice::sql {

Result<std::shared_ptr<TableDef>> BindCreateTable(const CreateTableStmt& statement,
                                                  const SourceLocation& location);

}  // namespace sluice::sql
