#pragma once
// DuckDbCommitter: the second phase of the exactly-once DuckDB sink (duckdb_staging.h).
//
// Commit(id, committables) applies, in one transaction per call, each writer's staged epochs
// above its marker and at most the epoch of its newest committable: append tables insert them in
// (_ckpt, _writer, _seq) order; keyed tables take each key's last staged row (ChangelogBuffer's
// reduction, in SQL), delete every touched key and insert those whose last change is +I/+U. The
// same transaction deletes the committed staging rows and raises the writers' markers, so a
// repeated Commit finds nothing above the marker and changes nothing. Recover(C, pending) commits
// every staged epoch up to C and deletes this sink's staging rows above C; it refuses to resume
// when a marker is already above C (that output would be written twice).

#include <memory>
#include <mutex>

#include "connectors/duckdb/duckdb_database.h"
#include "connectors/duckdb/duckdb_sink.h"
#include "connectors/duckdb/duckdb_staging.h"
#include "runtime/sink.h"

namespace sluice {

/// `commit_mutex` serializes commits on the database (DuckDbDatabase::commit_mutex()); the tables
/// exist already (EnsureDuckDbTable, EnsureDuckDbStaging).
Result<std::unique_ptr<SinkCommitter>> MakeDuckDbCommitter(DuckDbSinkConfig config,
                                                           DuckDbConnection connection,
                                                           DuckDbStageTarget target,
                                                           std::mutex* commit_mutex);

}  // namespace sluice
