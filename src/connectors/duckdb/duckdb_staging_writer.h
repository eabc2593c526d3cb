#pragma once
// DuckDbStagingWriter: the writer of the exactly-once DuckDB sink (duckdb_staging.h).
//
// Rows are buffered in memory (keyed tables reduce them per key as they come, ChangelogBuffer)
// and appended to the staging table at PreCommit(id) with `_ckpt = id`, in one Appender flush.
// When the buffer reaches 'sink.buffer-flush.max-rows' before the barrier, the epoch's id is not
// known yet: the rows are spilled with `_ckpt = kPendingEpoch`, and PreCommit stages the rest the
// same way and then sets `_ckpt = id` on this writer's pending rows in one UPDATE. Either way the
// epoch is durable and complete once PreCommit returns, and a crash before leaves only rows above
// every checkpoint that can be restored, which recovery deletes. Nothing reaches the user's
// table here: the committer does that (duckdb_committer.h). Flush() does nothing: nothing may
// become visible before its checkpoint is complete.

#include <memory>

#include "connectors/duckdb/duckdb_database.h"
#include "connectors/duckdb/duckdb_sink.h"
#include "connectors/duckdb/duckdb_staging.h"
#include "runtime/sink.h"

namespace sluice {

std::unique_ptr<SinkWriter> MakeDuckDbStagingWriter(const DuckDbSinkConfig& config,
                                                    DuckDbConnection connection,
                                                    DuckDbStageTarget target, int writer);

}  // namespace sluice
