#include "connectors/duckdb/duckdb_committer.h"

#include <map>

#include "connectors/duckdb/duckdb_committable.h"
#include "connectors/duckdb/duckdb_transaction.h"

namespace sluice {

namespace {

constexpr char kReduced[] = "temp.main._sluice_reduced";  // keyed tables: last row per key

class DuckDbCommitter final : public SinkCommitter {
 public:
  DuckDbCommitter(DuckDbSinkConfig config, DuckDbConnection connection, DuckDbStageTarget target,
                  std::mutex* commit_mutex)
      : config_(std::move(config)),
        connection_(std::move(connection)),
        target_(std::move(target)),
        commit_mutex_(commit_mutex),
        table_(QuoteDuckDbIdentifier(config_.table)),
        stage_(QuoteDuckDbIdentifier(DuckDbStageTable(config_.table))) {
    for (const Field& f : config_.schema.fields) {
      columns_ += (columns_.empty() ? "" : ", ") + QuoteDuckDbIdentifier(f.name);
    }
    for (int k : config_.primary_key) {
      const std::string key = QuoteDuckDbIdentifier(config_.schema[k].name);
      keys_ += (keys_.empty() ? "" : ", ") + key;
      key_match_ += (key_match_.empty() ? "" : " AND ") + table_ + "." + key + " = r." + key;
    }
  }

  Status Open() {
    if (config_.primary_key.empty()) return Status::OK();
    return connection_.Execute("CREATE OR REPLACE TEMP TABLE _sluice_reduced AS SELECT _op, " +
                               columns_ + " FROM " + stage_ + " LIMIT 0");
  }

  Status Recover(CheckpointId restored, const std::vector<Committable>& pending) override {
    std::lock_guard<std::mutex> lock(*commit_mutex_);
    SLUICE_RETURN_IF_ERROR(RefuseMarkersAbove(restored));
    // Every epoch staged up to the restored checkpoint was pre-committed by a checkpoint that is
    // complete (`pending` names them): commit them all, whichever writer staged them.
    std::map<int, CheckpointId> upto;
    for (const Committable& c : pending) {
      if (c.checkpoint <= restored && !c.data.empty()) {
        SLUICE_RETURN_IF_ERROR(Check(c, restored));
        upto[c.writer] = restored;
      }
    }
    SLUICE_ASSIGN_OR_RETURN(auto writers,
                            connection_.QueryText("SELECT DISTINCT _writer FROM " + stage_ +
                                                  " WHERE _sink = " + std::to_string(target_.id) +
                                                  " AND _ckpt <= " + std::to_string(restored)));
    for (const auto& row : writers) upto[std::stoi(row[0].value_or("0"))] = restored;
    SLUICE_RETURN_IF_ERROR(Apply(upto));
    // Later epochs will be produced again from the restored positions.
    const std::string discard = "DELETE FROM " + stage_ +
                                " WHERE _sink = " + std::to_string(target_.id) + " AND _ckpt > " +
                                std::to_string(restored);
    return Context(RunDuckDbTransaction(connection_, [&] { return connection_.Execute(discard); }));
  }

  Status Commit(CheckpointId id, const std::vector<Committable>& committables) override {
    std::lock_guard<std::mutex> lock(*commit_mutex_);
    std::map<int, CheckpointId> upto;
    for (const Committable& c : committables) {
      if (c.data.empty()) continue;
      SLUICE_RETURN_IF_ERROR(Check(c, id));
      CheckpointId& u = upto[c.writer];
      u = std::max(u, c.checkpoint);
    }
    return Apply(upto);
  }

 private:
  Status Context(const Status& status) const {
    return status.ok() ? status : status.WithContext("DuckDB table '" + config_.table + "'");
  }

  // A committable must be ours and not newer than the checkpoint that commits it.
  Status Check(const Committable& c, CheckpointId id) const {
    SLUICE_ASSIGN_OR_RETURN(DuckDbCommittable decoded, DecodeDuckDbCommittable(c.data));
    if (decoded.sink != target_.uid || decoded.writer != c.writer || c.checkpoint > id) {
      return Status::Internal("DuckDB sink '" + target_.uid + "' cannot commit writer " +
                              std::to_string(c.writer) + "'s epoch " +
                              std::to_string(c.checkpoint) + " at checkpoint " +
                              std::to_string(id) + ": " + c.data);
    }
    return Status::OK();
  }

  Status RefuseMarkersAbove(CheckpointId restored) {
    SLUICE_ASSIGN_OR_RETURN(
        auto rows, connection_.QueryText(
                       "SELECT max(checkpoint) FROM " + std::string(kDuckDbCheckpointsTable) +
                       " WHERE pipeline = " + QuoteDuckDbLiteral(target_.pipeline) +
                       " AND sink = " + QuoteDuckDbLiteral(target_.uid) + " AND checkpoint > " +
                       std::to_string(restored)));
    if (rows.empty() || !rows[0][0]) return Status::OK();
    return Status::InvalidArgument(
        "DuckDB table '" + config_.table + "' already holds checkpoint " + *rows[0][0] +
        " of pipeline '" + target_.pipeline + "', newer than the restored checkpoint " +
        std::to_string(restored) +
        ": resuming would write that output again. To accept "
        "duplicates, DELETE FROM " +
        kDuckDbCheckpointsTable + " WHERE pipeline = " + QuoteDuckDbLiteral(target_.pipeline) +
        " AND sink = " + QuoteDuckDbLiteral(target_.uid));
  }

  // One transaction: the writers' staged epochs in (marker, upto] into the table, the committed
  // staging rows deleted, the markers raised.
  Status Apply(const std::map<int, CheckpointId>& upto) {
    if (upto.empty()) return Status::OK();
    std::string values;
    for (const auto& [writer, epoch] : upto) {
      values += std::string(values.empty() ? "" : ", ") + "(" + std::to_string(writer) + ", " +
                std::to_string(epoch) + ")";
    }
    const std::string commits = "(VALUES " + values + ") c(writer, upto)";
    const std::string sink = std::to_string(target_.id);
    const std::string staged = "SELECT s.* FROM " + stage_ + " s JOIN " + commits +
                               " ON s._writer = c.writer" + " LEFT JOIN " +
                               kDuckDbCheckpointsTable +
                               " m ON m.pipeline = " + QuoteDuckDbLiteral(target_.pipeline) +
                               " AND m.sink = " + QuoteDuckDbLiteral(target_.uid) +
                               " AND m.writer = c.writer WHERE s._sink = " + sink +
                               " AND s._ckpt <= c.upto AND s._ckpt > coalesce(m.checkpoint, 0)";
    std::vector<std::string> statements;
    if (config_.primary_key.empty()) {
      statements.push_back("INSERT INTO " + table_ + " SELECT " + columns_ + " FROM (" + staged +
                           ") q ORDER BY _ckpt, _writer, _seq");
    } else {
      statements.push_back(std::string("DELETE FROM ") + kReduced);
      statements.push_back(std::string("INSERT INTO ") + kReduced + " SELECT _op, " + columns_ +
                           " FROM (" + staged + ") q QUALIFY row_number() OVER (PARTITION BY " +
                           keys_ + " ORDER BY _ckpt DESC, _writer DESC, _seq DESC) = 1");
      statements.push_back("DELETE FROM " + table_ + " USING " + kReduced + " r WHERE " +
                           key_match_);
      statements.push_back("INSERT INTO " + table_ + " SELECT " + columns_ + " FROM " + kReduced +
                           " WHERE _op IN (0, 2)");  // RowKind: +I, +U
    }
    statements.push_back("DELETE FROM " + stage_ + " USING " + commits + " WHERE " + stage_ +
                         "._sink = " + sink + " AND " + stage_ + "._writer = c.writer AND " +
                         stage_ + "._ckpt <= c.upto");
    statements.push_back(
        "INSERT INTO " + std::string(kDuckDbCheckpointsTable) +
        " (pipeline, sink, writer, checkpoint, committed_at) SELECT " +
        QuoteDuckDbLiteral(target_.pipeline) + ", " + QuoteDuckDbLiteral(target_.uid) +
        ", writer, upto, current_timestamp FROM " + commits +
        " ON CONFLICT (pipeline, sink, writer) DO UPDATE SET checkpoint = excluded.checkpoint, "
        "committed_at = excluded.committed_at WHERE excluded.checkpoint > " +
        kDuckDbCheckpointsTable + ".checkpoint");
    return Context(RunDuckDbTransaction(
        connection_,
        [&] {
          for (const std::string& sql : statements)
            SLUICE_RETURN_IF_ERROR(connection_.Execute(sql));
          return Status::OK();
        },
        "duckdb-mid-commit"));
  }

  const DuckDbSinkConfig config_;
  DuckDbConnection connection_;
  const DuckDbStageTarget target_;
  std::mutex* commit_mutex_;
  const std::string table_;  // quoted
  const std::string stage_;  // quoted
  std::string columns_;      // the table's columns, quoted, comma-separated
  std::string keys_;         // the primary key's columns
  std::string key_match_;    // table.k = r.k AND ...
};

}  // namespace

Result<std::unique_ptr<SinkCommitter>> MakeDuckDbCommitter(DuckDbSinkConfig config,
                                                           DuckDbConnection connection,
                                                           DuckDbStageTarget target,
                                                           std::mutex* commit_mutex) {
  auto committer = std::make_unique<DuckDbCommitter>(std::move(config), std::move(connection),
                                                     std::move(target), commit_mutex);
  SLUICE_RETURN_IF_ERROR(committer->Open());
  return std::unique_ptr<SinkCommitter>(std::move(committer));
}

}  // namespace sluice
