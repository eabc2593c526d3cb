#pragma once
// DuckDbChunkAppender: appends Batch columns to a DuckDB table through the Appender API, a data
// chunk (2048 rows) at a time: each column is copied in one loop straight into DuckDB's vector
// memory (no per-value call, never an INSERT per row). The chunk's types are the table's own,
// so the columns must match it (EnsureDuckDbTable checks that).

#include <duckdb.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "columnar/batch.h"
#include "common/status.h"

namespace sluice {

class DuckDbChunkAppender {
 public:
  /// Fills the leading vectors of `chunk` (those of `leading_types`) for the chunk's rows, which
  /// are the source rows `rows[first..first+count)` (or `first..first+count` when `rows` is
  /// null): the staging columns of the exactly-once sink, which no batch carries.
  using LeadingFiller = std::function<void(duckdb_data_chunk chunk, const uint32_t* rows,
                                           size_t first, size_t count)>;

  /// An appender on `catalog`.main.`table` ("" catalog: the default one; "temp" for temporary
  /// tables) whose columns have `leading_types` (filled by a LeadingFiller), then `types`.
  static Result<std::unique_ptr<DuckDbChunkAppender>> Create(
      duckdb_connection connection, const std::string& catalog, const std::string& table,
      std::vector<LogicalType> types, const std::vector<duckdb_type>& leading_types = {});
  ~DuckDbChunkAppender();
  DuckDbChunkAppender(const DuckDbChunkAppender&) = delete;
  DuckDbChunkAppender& operator=(const DuckDbChunkAppender&) = delete;

  /// Appends `columns` (indices into `batch`, one per table column) of the rows `rows[0..count)`,
  /// or of the first `count` rows when `rows` is null.
  Status Append(const Batch& batch, const std::vector<int>& columns, const uint32_t* rows,
                size_t count, const LeadingFiller& leading = nullptr);
  /// Commits what was appended (visible to other connections).
  Status Flush();

 private:
  DuckDbChunkAppender(std::string table, std::vector<LogicalType> types)
      : table_(std::move(table)), types_(std::move(types)) {}
  Status Error(const char* action);
  void FillVector(duckdb_vector vector, const LogicalType& type, const Column& column,
                  const uint32_t* rows, size_t first, size_t count);

  std::string table_;
  std::vector<LogicalType> types_;
  size_t leading_ = 0;  // leading columns, before those of types_
  duckdb_appender appender_ = nullptr;
  duckdb_data_chunk chunk_ = nullptr;
};

}  // namespace sluice
