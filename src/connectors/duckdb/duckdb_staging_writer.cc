#include "connectors/duckdb/duckdb_staging_writer.h"

#include "common/crash_point.h"
#include "connectors/duckdb/changelog_buffer.h"
#include "connectors/duckdb/duckdb_chunk_appender.h"
#include "connectors/duckdb/duckdb_committable.h"
#include "connectors/duckdb/duckdb_transaction.h"

namespace sluice {

namespace {

template <typename T>
T* VectorData(duckdb_data_chunk chunk, idx_t column) {
  return static_cast<T*>(duckdb_vector_get_data(duckdb_data_chunk_get_vector(chunk, column)));
}

class DuckDbStagingWriter final : public SinkWriter {
 public:
  DuckDbStagingWriter(const DuckDbSinkConfig& config, DuckDbConnection connection,
                      DuckDbStageTarget target, int writer)
      : config_(config),
        connection_(std::move(connection)),
        target_(std::move(target)),
        writer_(writer),
        keyed_(!config.primary_key.empty()),
        changelog_(config.schema, config.primary_key) {
    for (size_t i = 0; i < config.schema.size(); ++i) columns_.push_back(static_cast<int>(i));
  }

  Status Open() override {
    std::vector<LogicalType> types;
    for (const Field& f : config_.schema.fields) types.push_back(f.type);
    const std::string stage = DuckDbStageTable(config_.table);
    SLUICE_ASSIGN_OR_RETURN(appender_,
                            DuckDbChunkAppender::Create(connection_.handle(), "", stage, types,
                                                        DuckDbStageLeadingTypes()));
    promote_sql_ = "UPDATE " + QuoteDuckDbIdentifier(stage) +
                   " SET _ckpt = $ID WHERE _sink = " + std::to_string(target_.id) +
                   " AND _writer = " + std::to_string(writer_) +
                   " AND _ckpt = " + std::to_string(kPendingEpoch);
    return Status::OK();
  }

  Status Write(const Batch& batch) override {
    if (keyed_) {
      changelog_.Add(batch);
    } else {
      appends_.push_back(batch);
      append_rows_ += batch.num_rows();
    }
    if (static_cast<int64_t>(Buffered()) >= config_.max_buffered_rows) {
      return Stage(kPendingEpoch);
    }
    return Status::OK();
  }

  Status Flush() override { return Status::OK(); }

  Result<std::string> PreCommit(CheckpointId id) override {
    if (pending_spilled_) {
      SLUICE_RETURN_IF_ERROR(Stage(kPendingEpoch));
      std::string sql = promote_sql_;
      sql.replace(sql.find("$ID"), 3, std::to_string(id));
      SLUICE_RETURN_IF_ERROR(RunDuckDbTransaction(connection_, [&] {
                               return connection_.Execute(sql);
                             }).WithContext("DuckDB table '" + config_.table + "'"));
    } else {
      SLUICE_RETURN_IF_ERROR(Stage(id));
    }
    CrashPoint("duckdb-after-precommit");
    DuckDbCommittable committable{target_.uid, writer_, last_precommit_ + 1, id, epoch_rows_};
    last_precommit_ = id;
    epoch_rows_ = 0;
    pending_spilled_ = false;
    // Until this writer staged a row, nothing of it can wait for a commit. After that, every
    // barrier hands one over: rows of an abandoned checkpoint are committed with the next one.
    if (!staged_any_) return std::string();
    return EncodeDuckDbCommittable(committable);
  }

  Status Close() override {
    // Rows not pre-committed belong to no checkpoint: they will be produced again after a restore.
    appends_.clear();
    changelog_.Clear();
    appender_.reset();
    return Status::OK();
  }

 private:
  size_t Buffered() const { return keyed_ ? changelog_.rows() : append_rows_; }

  // Appends `rows` (null: all) of `batch` with the staging columns of `epoch`.
  Status AppendRows(const Batch& batch, const uint32_t* rows, size_t count, int64_t epoch) {
    const int64_t seq_base = next_seq_;
    auto leading = [&](duckdb_data_chunk chunk, const uint32_t* sel, size_t first, size_t n) {
      auto* sink = VectorData<int64_t>(chunk, 0);
      auto* ckpt = VectorData<int64_t>(chunk, 1);
      auto* writer = VectorData<int32_t>(chunk, 2);
      auto* seq = VectorData<int64_t>(chunk, 3);
      auto* op = VectorData<uint8_t>(chunk, 4);
      for (size_t i = 0; i < n; ++i) {
        sink[i] = target_.id;
        ckpt[i] = epoch;
        writer[i] = writer_;
        seq[i] = seq_base + static_cast<int64_t>(first + i);
        op[i] = static_cast<uint8_t>(batch.row_kind(sel ? sel[first + i] : first + i));
      }
    };
    SLUICE_RETURN_IF_ERROR(appender_->Append(batch, columns_, rows, count, leading));
    next_seq_ += static_cast<int64_t>(count);
    return Status::OK();
  }

  // Stages everything buffered with `_ckpt = epoch` and commits it (one Appender flush).
  Status Stage(int64_t epoch) {
    size_t staged = 0;
    if (keyed_ && changelog_.rows() > 0) {
      // Each key once: its last change in the buffer (the committer reduces across stagings).
      std::vector<uint32_t> upserts, deletes;
      changelog_.Reduce(&upserts, &deletes);
      SLUICE_RETURN_IF_ERROR(AppendRows(changelog_.batch(), upserts.data(), upserts.size(), epoch));
      SLUICE_RETURN_IF_ERROR(AppendRows(changelog_.batch(), deletes.data(), deletes.size(), epoch));
      staged = upserts.size() + deletes.size();
    }
    for (const Batch& batch : appends_) {
      SLUICE_RETURN_IF_ERROR(AppendRows(batch, nullptr, batch.num_rows(), epoch));
      staged += batch.num_rows();
    }
    if (staged == 0) return Status::OK();
    SLUICE_RETURN_IF_ERROR(appender_->Flush());
    changelog_.Clear();
    appends_.clear();
    append_rows_ = 0;
    staged_any_ = true;
    epoch_rows_ += static_cast<int64_t>(staged);
    if (epoch == kPendingEpoch) pending_spilled_ = true;
    return Status::OK();
  }

  const DuckDbSinkConfig& config_;
  DuckDbConnection connection_;
  const DuckDbStageTarget target_;
  const int writer_;
  const bool keyed_;
  std::vector<int> columns_;    // every column of the schema, in order
  ChangelogBuffer changelog_;   // keyed tables
  std::vector<Batch> appends_;  // append tables
  size_t append_rows_ = 0;
  std::unique_ptr<DuckDbChunkAppender> appender_;
  std::string promote_sql_;  // pending rows -> epoch $ID
  int64_t next_seq_ = 0;
  CheckpointId last_precommit_ = 0;
  int64_t epoch_rows_ = 0;
  bool pending_spilled_ = false;  // rows of this epoch wait under kPendingEpoch
  bool staged_any_ = false;
};

}  // namespace

std::unique_ptr<SinkWriter> MakeDuckDbStagingWriter(const DuckDbSinkConfig& config,
                                                    DuckDbConnection connection,
                                                    DuckDbStageTarget target, int writer) {
  return std::make_unique<DuckDbStagingWriter>(config, std::move(connection), std::move(target),
                                               writer);
}

}  // namespace sluice
