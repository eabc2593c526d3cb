#pragma once
// RunDuckDbTransaction: BEGIN, the body's statements, COMMIT — rolled back on any error, and run
// again when DuckDB's optimistic concurrency control reports a conflict with another connection
// (staging writers and the committer touch different rows of one table, but DuckDB may still
// refuse one of two concurrent transactions).

#include <functional>
#include <string_view>

#include "connectors/duckdb/duckdb_database.h"

namespace sluice {

/// `crash_point`, when not empty, is passed (common/crash_point.h) after the body, before COMMIT.
Status RunDuckDbTransaction(DuckDbConnection& connection, const std::function<Status()>& body,
                            std::string_view crash_point = {});

/// Whether `status` is DuckDB's transaction conflict (worth running the transaction again).
bool IsDuckDbConflict(const Status& status);

}  // namespace sluice
