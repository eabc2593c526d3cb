#pragma once
// Binds CREATE TABLE to a TableDef: column types, computed columns (over the physical columns),
// the WATERMARK (whose rowtime column must be TIMESTAMP(3) or TIMESTAMP_LTZ(3)), the primary key,
// and the WITH options (duplicates rejected; connector and format options validated).

#include <memory>

#include "connectors/connector.h"
#include "exec/plan/table_def.h"
#include "sql/binder/catalog.h"

namespace sluice::sql {

/// `extra_connectors` are searched before the registry (test-only connectors).
Result<std::shared_ptr<TableDef>> BindCreateTable(
    const CreateTableStmt& statement, const SourceLocation& location,
    const std::vector<const ConnectorSpec*>& extra_connectors = {});

}  // namespace sluice::sql
