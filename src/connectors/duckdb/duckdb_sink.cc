#include "connectors/duckdb/duckdb_sink.h"

#include <thread>

#include "connectors/duckdb/changelog_buffer.h"
#include "connectors/duckdb/duckdb_chunk_appender.h"
#include "connectors/duckdb/duckdb_committer.h"
#include "connectors/duckdb/duckdb_schema.h"
#include "connectors/duckdb/duckdb_staging_writer.h"

namespace sluice {

namespace {

constexpr char kUpsertStage[] = "sluice_upserts";
constexpr char kKeyStage[] = "sluice_keys";
constexpr int kConflictRetries = 5;

std::vector<int> AllColumns(const Schema& schema) {
  std::vector<int> columns(schema.size());
  for (size_t i = 0; i < schema.size(); ++i) columns[i] = static_cast<int>(i);
  return columns;
}

// Shared by both writers: when the time or row budget since the last flush is used up.
class FlushPolicy {
 public:
  explicit FlushPolicy(const DuckDbSinkConfig& config) : config_(config) {}
  bool Due(size_t buffered_rows) const {
    return static_cast<int64_t>(buffered_rows) >= config_.max_buffered_rows ||
           std::chrono::steady_clock::now() - last_flush_ >=
               std::chrono::microseconds(config_.flush_interval_micros);
  }
  void Flushed() { last_flush_ = std::chrono::steady_clock::now(); }

 private:
  const DuckDbSinkConfig& config_;
  std::chrono::steady_clock::time_point last_flush_ = std::chrono::steady_clock::now();
};

class DuckDbAppendWriter final : public SinkWriter {
 public:
  DuckDbAppendWriter(const DuckDbSinkConfig& config, DuckDbConnection connection)
      : config_(config), connection_(std::move(connection)), policy_(config) {}

  Status Open() override {
    std::vector<LogicalType> types;
    for (const Field& f : config_.schema.fields) types.push_back(f.type);
    SLUICE_ASSIGN_OR_RETURN(
        appender_, DuckDbChunkAppender::Create(connection_.handle(), "", config_.table, types));
    return Status::OK();
  }

  Status Write(const Batch& batch) override {
    SLUICE_RETURN_IF_ERROR(appender_->Append(batch, columns_, nullptr, batch.num_rows()));
    buffered_ += batch.num_rows();
    if (policy_.Due(buffered_)) return Flush();
    return Status::OK();
  }

  Status Flush() override {
    SLUICE_RETURN_IF_ERROR(appender_->Flush());
    buffered_ = 0;
    policy_.Flushed();
    return Status::OK();
  }

  Status Close() override {
    Status status = Flush();
    appender_.reset();
    return status;
  }

 private:
  const DuckDbSinkConfig& config_;
  DuckDbConnection connection_;
  FlushPolicy policy_;
  std::vector<int> columns_ = AllColumns(config_.schema);
  std::unique_ptr<DuckDbChunkAppender> appender_;
  size_t buffered_ = 0;
};

class DuckDbUpsertWriter final : public SinkWriter {
 public:
  DuckDbUpsertWriter(const DuckDbSinkConfig& config, DuckDbConnection connection)
      : config_(config),
        connection_(std::move(connection)),
        policy_(config),
        buffer_(config.schema, config.primary_key) {}

  Status Open() override {
    // Staging tables live in this connection's temp catalog, so writers never see each other's.
    const std::string table = QuoteDuckDbIdentifier(config_.table);
    std::string keys;
    for (int k : config_.primary_key) {
      keys += (keys.empty() ? "" : ", ") + QuoteDuckDbIdentifier(config_.schema[k].name);
    }
    SLUICE_RETURN_IF_ERROR(connection_.Execute("CREATE OR REPLACE TEMP TABLE " +
                                               std::string(kUpsertStage) + " AS SELECT * FROM " +
                                               table + " LIMIT 0"));
    SLUICE_RETURN_IF_ERROR(connection_.Execute("CREATE OR REPLACE TEMP TABLE " +
                                               std::string(kKeyStage) + " AS SELECT " + keys +
                                               " FROM " + table + " LIMIT 0"));
    std::vector<LogicalType> all_types, key_types;
    for (const Field& f : config_.schema.fields) all_types.push_back(f.type);
    for (int k : config_.primary_key) key_types.push_back(config_.schema[k].type);
    SLUICE_ASSIGN_OR_RETURN(upserts_, DuckDbChunkAppender::Create(connection_.handle(), "temp",
                                                                  kUpsertStage, all_types));
    SLUICE_ASSIGN_OR_RETURN(
        keys_, DuckDbChunkAppender::Create(connection_.handle(), "temp", kKeyStage, key_types));
    std::string match;
    for (int k : config_.primary_key) {
      const std::string column = QuoteDuckDbIdentifier(config_.schema[k].name);
      match +=
          (match.empty() ? "" : " AND ") + table + "." + column + " = " + kKeyStage + "." + column;
    }
    delete_sql_ = "DELETE FROM " + table + " USING " + kKeyStage + " WHERE " + match;
    insert_sql_ = "INSERT INTO " + table + " SELECT * FROM " + kUpsertStage;
    return Status::OK();
  }

  Status Write(const Batch& batch) override {
    buffer_.Add(batch);
    if (policy_.Due(buffer_.rows())) return Flush();
    return Status::OK();
  }

  Status Flush() override {
    if (buffer_.rows() > 0) {
      std::vector<uint32_t> upserts, deletes;
      buffer_.Reduce(&upserts, &deletes);
      Status status = Apply(upserts, deletes);
      // Parallel writers touch disjoint keys but may still collide in DuckDB's optimistic
      // concurrency control: retry those conflicts a few times.
      for (int attempt = 1; !status.ok() && IsConflict(status) && attempt < kConflictRetries;
           ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10 * attempt));
        status = Apply(upserts, deletes);
      }
      SLUICE_RETURN_IF_ERROR(status);  // the buffer is kept: a retry of Flush() re-applies it
      buffer_.Clear();
    }
    policy_.Flushed();
    return Status::OK();
  }

  Status Close() override {
    Status status = Flush();
    upserts_.reset();
    keys_.reset();
    return status;
  }

 private:
  static bool IsConflict(const Status& status) {
    return status.message().find("onflict") != std::string::npos;
  }

  Status Apply(const std::vector<uint32_t>& upserts, const std::vector<uint32_t>& deletes) {
    const Batch& rows = buffer_.batch();
    SLUICE_RETURN_IF_ERROR(connection_.Execute(std::string("DELETE FROM ") + kUpsertStage));
    SLUICE_RETURN_IF_ERROR(connection_.Execute(std::string("DELETE FROM ") + kKeyStage));
    // Every touched key is deleted first; the upserted rows are then inserted again.
    SLUICE_RETURN_IF_ERROR(
        keys_->Append(rows, config_.primary_key, upserts.data(), upserts.size()));
    SLUICE_RETURN_IF_ERROR(
        keys_->Append(rows, config_.primary_key, deletes.data(), deletes.size()));
    SLUICE_RETURN_IF_ERROR(keys_->Flush());
    SLUICE_RETURN_IF_ERROR(upserts_->Append(rows, all_columns_, upserts.data(), upserts.size()));
    SLUICE_RETURN_IF_ERROR(upserts_->Flush());
    SLUICE_RETURN_IF_ERROR(connection_.Execute("BEGIN TRANSACTION"));
    Status status = connection_.Execute(delete_sql_);
    if (status.ok()) status = connection_.Execute(insert_sql_);
    if (status.ok()) status = connection_.Execute("COMMIT");
    if (!status.ok()) connection_.Execute("ROLLBACK").IgnoreError();
    return status.WithContext("DuckDB table '" + config_.table + "'");
  }

  const DuckDbSinkConfig& config_;
  DuckDbConnection connection_;
  FlushPolicy policy_;
  ChangelogBuffer buffer_;
  std::vector<int> all_columns_ = AllColumns(config_.schema);
  std::unique_ptr<DuckDbChunkAppender> upserts_;
  std::unique_ptr<DuckDbChunkAppender> keys_;
  std::string delete_sql_;
  std::string insert_sql_;
};

}  // namespace

Result<std::unique_ptr<DuckDbSink>> DuckDbSink::Make(DuckDbSinkConfig config) {
  // The file is opened by the first writer, so planning (validate, explain) creates nothing.
  return std::unique_ptr<DuckDbSink>(new DuckDbSink(std::move(config)));
}

Status DuckDbSink::EnsureTableOnce() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (table_ready_) return Status::OK();
  SLUICE_ASSIGN_OR_RETURN(database_, DuckDbDatabase::Open(config_.path));
  SLUICE_ASSIGN_OR_RETURN(DuckDbConnection connection, database_->Connect());
  std::lock_guard<std::mutex> schema_lock(database_->schema_mutex());
  SLUICE_RETURN_IF_ERROR(
      EnsureDuckDbTable(connection, config_.table, config_.schema, config_.primary_key));
  if (staging_) {
    SLUICE_RETURN_IF_ERROR(EnsureDuckDbStaging(connection, config_.table, config_.schema));
  }
  table_ready_ = true;
  return Status::OK();
}

Result<std::unique_ptr<SinkWriter>> DuckDbSink::CreateWriter(int instance, int parallelism) {
  SLUICE_RETURN_IF_ERROR(EnsureTableOnce());
  SLUICE_ASSIGN_OR_RETURN(DuckDbConnection connection, database_->Connect());
  if (staging_) return MakeDuckDbStagingWriter(config_, std::move(connection), target_, instance);
  if (config_.primary_key.empty()) {
    return std::unique_ptr<SinkWriter>(
        std::make_unique<DuckDbAppendWriter>(config_, std::move(connection)));
  }
  return std::unique_ptr<SinkWriter>(
      std::make_unique<DuckDbUpsertWriter>(config_, std::move(connection)));
}

Status DuckDbSink::EnableCheckpointing(const SinkCheckpointing& checkpointing) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!config_.exactly_once) return Status::OK();
  staging_ = true;
  table_ready_ = false;  // the staging tables are created with the table
  target_ = MakeDuckDbStageTarget(checkpointing.pipeline, checkpointing.sink_uid);
  return Status::OK();
}

Result<std::unique_ptr<SinkCommitter>> DuckDbSink::CreateCommitter() {
  if (!staging_) return std::unique_ptr<SinkCommitter>();
  SLUICE_RETURN_IF_ERROR(EnsureTableOnce());
  SLUICE_ASSIGN_OR_RETURN(DuckDbConnection connection, database_->Connect());
  return MakeDuckDbCommitter(config_, std::move(connection), target_, &database_->commit_mutex());
}

}  // namespace sluice
