#pragma once
// The tables of the exactly-once DuckDB sink (docs/design/checkpoints.md §3.4).
//
//   _sluice_stage_<table>(_sink BIGINT, _ckpt BIGINT, _writer INTEGER, _seq BIGINT,
//                         _op UTINYINT, <the table's columns>)
//   _sluice_checkpoints(pipeline, sink, writer, checkpoint, committed_at,
//                       PRIMARY KEY (pipeline, sink, writer))
//
// Writers append their rows to the staging table, tagged with the sink (several pipelines and
// sinks may write one table), the epoch (`_ckpt`, the checkpoint the rows belong to), the writer,
// a per-writer sequence number and the row kind (`_op`, RowKind's value). Rows spilled before the
// epoch's id is known carry kPendingEpoch until the writer's PreCommit sets it. The committer
// moves an epoch's rows into the table and records the writer's marker in one transaction.

#include <duckdb.h>

#include <cstdint>
#include <string>
#include <vector>

#include "columnar/batch.h"
#include "connectors/duckdb/duckdb_database.h"

namespace sluice {

/// `_ckpt` of rows spilled mid-epoch: above every checkpoint id, so the rule "staging rows above
/// the restored checkpoint are discarded" also removes epochs that never reached PreCommit.
constexpr int64_t kPendingEpoch = INT64_MAX;

constexpr char kDuckDbCheckpointsTable[] = "_sluice_checkpoints";

/// Which sink stages and commits: `_sink` in the staging table is `id`, the marker's key columns
/// are `pipeline` and `uid`.
struct DuckDbStageTarget {
  std::string pipeline;
  std::string uid;
  int64_t id = 0;
};

/// The target of sink `uid` of `pipeline`; `id` is a stable 63-bit hash of both.
DuckDbStageTarget MakeDuckDbStageTarget(const std::string& pipeline, const std::string& uid);

/// "_sluice_stage_<table>".
std::string DuckDbStageTable(const std::string& table);

/// The staging columns before the table's own: _sink, _ckpt, _writer, _seq, _op.
const std::vector<duckdb_type>& DuckDbStageLeadingTypes();

/// Creates the marker table and `table`'s staging table when missing. A staging table of another
/// shape (the user table was recreated) is replaced when empty, else refused. Callers hold the
/// database's schema_mutex().
Status EnsureDuckDbStaging(DuckDbConnection& connection, const std::string& table,
                           const Schema& schema);

}  // namespace sluice
