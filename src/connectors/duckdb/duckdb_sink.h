#pragma once
// DuckDbSink: writes a sink table into a DuckDB table.
//
// The table is created from the physical schema on first use (with its PRIMARY KEY), or checked
// against it when it exists. Every writer has its own connection to the shared database of the
// file (duckdb_database.h), so several sink tables and parallel writers can use one file.
//
// Append-only results without a primary key are appended through DuckDB's Appender, a data chunk
// at a time. Tables with a primary key (and every updating result) are written as upserts: the
// buffered changelog is reduced to each key's final state, staged in temporary tables through
// the Appender, and applied in one transaction (DELETE the touched keys, INSERT the upserted
// rows). Rows become visible when the writer flushes: at 'sink.buffer-flush.max-rows' buffered
// rows, when 'sink.buffer-flush.interval' has passed since the last flush (checked on write),
// and at Flush()/Close().
//
// Exactly-once: when the job takes checkpoints (EnableCheckpointing) and
// 'sink.delivery-guarantee' is 'exactly-once' (the default), writers stage rows in
// '_sluice_stage_<table>' instead (duckdb_staging_writer.h) and the committer makes each
// checkpoint's rows visible in one transaction with a marker in '_sluice_checkpoints'
// (duckdb_committer.h; docs/design/checkpoints.md §3.4).

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "columnar/batch.h"
#include "connectors/duckdb/duckdb_database.h"
#include "connectors/duckdb/duckdb_staging.h"
#include "runtime/sink.h"

namespace sluice {

struct DuckDbSinkConfig {
  std::string path;
  std::string table;
  Schema schema;                 // physical columns
  std::vector<int> primary_key;  // indices into schema
  int64_t max_buffered_rows = 100'000;
  int64_t flush_interval_micros = 1'000'000;
  /// Exactly-once when the job takes checkpoints; false: at-least-once always.
  bool exactly_once = true;
};

class DuckDbSink final : public Sink {
 public:
  static Result<std::unique_ptr<DuckDbSink>> Make(DuckDbSinkConfig config);

  Result<std::unique_ptr<SinkWriter>> CreateWriter(int instance, int parallelism) override;
  Status EnableCheckpointing(const SinkCheckpointing& checkpointing) override;
  Result<std::unique_ptr<SinkCommitter>> CreateCommitter() override;

 private:
  explicit DuckDbSink(DuckDbSinkConfig config) : config_(std::move(config)) {}
  Status EnsureTableOnce();

  DuckDbSinkConfig config_;
  std::shared_ptr<DuckDbDatabase> database_;  // opened by the first writer, under mutex_
  std::mutex mutex_;
  bool table_ready_ = false;
  bool staging_ = false;  // exactly-once: EnableCheckpointing was called and it was asked for
  DuckDbStageTarget target_;
};

}  // namespace sluice
