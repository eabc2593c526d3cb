#include "connectors/duckdb/duckdb_chunk_appender.h"

#include <algorithm>

namespace sluice {

namespace {

duckdb_logical_type MakeDuckDbType(const LogicalType& type) {
  switch (type.id) {
    case TypeId::kBoolean:
      return duckdb_create_logical_type(DUCKDB_TYPE_BOOLEAN);
    case TypeId::kInt:
      return duckdb_create_logical_type(DUCKDB_TYPE_INTEGER);
    case TypeId::kBigint:
      return duckdb_create_logical_type(DUCKDB_TYPE_BIGINT);
    case TypeId::kDouble:
      return duckdb_create_logical_type(DUCKDB_TYPE_DOUBLE);
    case TypeId::kDecimal:
      return duckdb_create_decimal_type(type.precision, type.scale);
    case TypeId::kTimestamp:
      return duckdb_create_logical_type(DUCKDB_TYPE_TIMESTAMP);
    case TypeId::kTimestampLtz:
      return duckdb_create_logical_type(DUCKDB_TYPE_TIMESTAMP_TZ);
    case TypeId::kDate:
      return duckdb_create_logical_type(DUCKDB_TYPE_DATE);
    case TypeId::kInterval:
      return duckdb_create_logical_type(DUCKDB_TYPE_INTERVAL);
    case TypeId::kVarchar:
    case TypeId::kNull:
      break;
  }
  return duckdb_create_logical_type(DUCKDB_TYPE_VARCHAR);
}

// Row `i` of the slice being copied.
inline size_t SourceRow(const uint32_t* rows, size_t first, size_t i) {
  return rows ? rows[first + i] : first + i;
}

template <typename From, typename To>
void CopyValues(const Column& column, const uint32_t* rows, size_t first, size_t count, To* out) {
  const From* in = column.data<From>();
  for (size_t i = 0; i < count; ++i) out[i] = static_cast<To>(in[SourceRow(rows, first, i)]);
}

}  // namespace

Result<std::unique_ptr<DuckDbChunkAppender>> DuckDbChunkAppender::Create(
    duckdb_connection connection, const std::string& catalog, const std::string& table,
    std::vector<LogicalType> types, const std::vector<duckdb_type>& leading_types) {
  std::unique_ptr<DuckDbChunkAppender> appender(new DuckDbChunkAppender(table, std::move(types)));
  appender->leading_ = leading_types.size();
  if (duckdb_appender_create_ext(connection, catalog.empty() ? nullptr : catalog.c_str(), "main",
                                 table.c_str(), &appender->appender_) == DuckDBError) {
    return appender->Error("cannot append to");
  }
  std::vector<duckdb_logical_type> chunk_types;
  for (duckdb_type t : leading_types) chunk_types.push_back(duckdb_create_logical_type(t));
  for (const LogicalType& type : appender->types_) chunk_types.push_back(MakeDuckDbType(type));
  appender->chunk_ = duckdb_create_data_chunk(chunk_types.data(), chunk_types.size());
  for (duckdb_logical_type& t : chunk_types) duckdb_destroy_logical_type(&t);
  return appender;
}

DuckDbChunkAppender::~DuckDbChunkAppender() {
  if (chunk_) duckdb_destroy_data_chunk(&chunk_);
  if (appender_) duckdb_appender_destroy(&appender_);
}

Status DuckDbChunkAppender::Error(const char* action) {
  std::string message = "unknown error";
  if (appender_) {
    duckdb_error_data error = duckdb_appender_error_data(appender_);
    if (error) {
      message = duckdb_error_data_message(error);
      duckdb_destroy_error_data(&error);
    }
  }
  return Status::SinkError("DuckDB: " + std::string(action) + " table '" + table_ +
                           "': " + message);
}

void DuckDbChunkAppender::FillVector(duckdb_vector vector, const LogicalType& type,
                                     const Column& column, const uint32_t* rows, size_t first,
                                     size_t count) {
  void* data = duckdb_vector_get_data(vector);
  switch (type.id) {
    case TypeId::kBoolean:
      CopyValues<uint8_t, bool>(column, rows, first, count, static_cast<bool*>(data));
      break;
    case TypeId::kInt:
    case TypeId::kDate:  // duckdb_date is days since the epoch, as ours
      CopyValues<int32_t, int32_t>(column, rows, first, count, static_cast<int32_t*>(data));
      break;
    case TypeId::kBigint:
    case TypeId::kTimestamp:  // DuckDB timestamps are microseconds too
    case TypeId::kTimestampLtz:
      CopyValues<int64_t, int64_t>(column, rows, first, count, static_cast<int64_t*>(data));
      break;
    case TypeId::kDouble:
      CopyValues<double, double>(column, rows, first, count, static_cast<double*>(data));
      break;
    case TypeId::kDecimal:
      // DuckDB stores a DECIMAL in the narrowest integer its width allows.
      if (type.precision <= 4) {
        CopyValues<int128_t, int16_t>(column, rows, first, count, static_cast<int16_t*>(data));
      } else if (type.precision <= 9) {
        CopyValues<int128_t, int32_t>(column, rows, first, count, static_cast<int32_t*>(data));
      } else if (type.precision <= 18) {
        CopyValues<int128_t, int64_t>(column, rows, first, count, static_cast<int64_t*>(data));
      } else {
        auto* out = static_cast<duckdb_hugeint*>(data);
        const int128_t* in = column.data<int128_t>();
        for (size_t i = 0; i < count; ++i) {
          int128_t v = in[SourceRow(rows, first, i)];
          out[i].lower = static_cast<uint64_t>(v);
          out[i].upper = static_cast<int64_t>(v >> 64);
        }
      }
      break;
    case TypeId::kInterval: {
      auto* out = static_cast<duckdb_interval*>(data);
      const int64_t* in = column.data<int64_t>();
      for (size_t i = 0; i < count; ++i) out[i] = {0, 0, in[SourceRow(rows, first, i)]};
      break;
    }
    case TypeId::kVarchar:
    case TypeId::kNull:
      for (size_t i = 0; i < count; ++i) {
        size_t row = SourceRow(rows, first, i);
        if (column.IsNull(row)) continue;
        std::string_view s = column.GetString(row);
        duckdb_vector_assign_string_element_len(vector, i, s.data(), s.size());
      }
      break;
  }
  // duckdb_data_chunk_reset() left every row valid: only NULLs need marking.
  if (!column.HasNulls()) return;
  duckdb_vector_ensure_validity_writable(vector);
  uint64_t* validity = duckdb_vector_get_validity(vector);
  for (size_t i = 0; i < count; ++i) {
    if (column.IsNull(SourceRow(rows, first, i))) duckdb_validity_set_row_invalid(validity, i);
  }
}

Status DuckDbChunkAppender::Append(const Batch& batch, const std::vector<int>& columns,
                                   const uint32_t* rows, size_t count,
                                   const LeadingFiller& leading) {
  if (columns.size() != types_.size()) {
    return Status::Internal("DuckDB appender: " + std::to_string(columns.size()) +
                            " columns given for a table of " + std::to_string(types_.size()));
  }
  if (leading_ > 0 && !leading) {
    return Status::Internal("DuckDB appender: the leading columns of '" + table_ +
                            "' need a filler");
  }
  const size_t capacity = duckdb_vector_size();
  for (size_t first = 0; first < count; first += capacity) {
    const size_t n = std::min(capacity, count - first);
    duckdb_data_chunk_reset(chunk_);
    if (leading_ > 0) leading(chunk_, rows, first, n);
    for (size_t c = 0; c < columns.size(); ++c) {
      FillVector(duckdb_data_chunk_get_vector(chunk_, leading_ + c), types_[c],
                 *batch.column(columns[c]), rows, first, n);
    }
    duckdb_data_chunk_set_size(chunk_, n);
    if (duckdb_append_data_chunk(appender_, chunk_) == DuckDBError) {
      return Error("cannot append to");
    }
  }
  return Status::OK();
}

Status DuckDbChunkAppender::Flush() {
  if (duckdb_appender_flush(appender_) == DuckDBError) return Error("cannot write");
  return Status::OK();
}

}  // namespace sluice
