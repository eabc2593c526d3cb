#include "connectors/duckdb/duckdb_query.h"

#include <filesystem>
#include <vector>

#include "connectors/duckdb/duckdb_database.h"

namespace sluice {

namespace {

// Display width: UTF-8 code points (continuation bytes take no column).
size_t Width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool IsNumeric(duckdb_type type) {
  switch (type) {
    case DUCKDB_TYPE_TINYINT:
    case DUCKDB_TYPE_SMALLINT:
    case DUCKDB_TYPE_INTEGER:
    case DUCKDB_TYPE_BIGINT:
    case DUCKDB_TYPE_HUGEINT:
    case DUCKDB_TYPE_UTINYINT:
    case DUCKDB_TYPE_USMALLINT:
    case DUCKDB_TYPE_UINTEGER:
    case DUCKDB_TYPE_UBIGINT:
    case DUCKDB_TYPE_UHUGEINT:
    case DUCKDB_TYPE_FLOAT:
    case DUCKDB_TYPE_DOUBLE:
    case DUCKDB_TYPE_DECIMAL:
      return true;
    default:
      return false;
  }
}

void Pad(std::ostream& out, size_t count) {
  for (size_t i = 0; i < count; ++i) out << ' ';
}

}  // namespace

Status RunDuckDbQuery(const std::string& path, const std::string& sql, std::ostream& out) {
  std::shared_ptr<DuckDbDatabase> database = DuckDbDatabase::FindOpen(path);
  if (!database) {
    if (path != ":memory:" && !std::filesystem::exists(path)) {
      return Status::InvalidArgument("DuckDB file '" + path + "' does not exist");
    }
    auto opened = DuckDbDatabase::OpenReadOnly(path);
    if (!opened.ok()) return Status::InvalidArgument(opened.status().message());
    database = std::move(opened).value();
  }
  auto connection = database->Connect();
  if (!connection.ok()) return Status::InvalidArgument(connection.status().message());

  duckdb_result result;
  if (duckdb_query(connection->handle(), sql.c_str(), &result) == DuckDBError) {
    const char* error = duckdb_result_error(&result);
    Status status = Status::InvalidArgument(std::string("DuckDB: ") + (error ? error : "error"));
    duckdb_destroy_result(&result);
    return status;
  }
  const idx_t columns = duckdb_column_count(&result);
  const idx_t rows = duckdb_row_count(&result);
  std::vector<std::vector<std::string>> cells(rows + 1, std::vector<std::string>(columns));
  std::vector<size_t> widths(columns, 0);
  std::vector<bool> right(columns, false);
  for (idx_t c = 0; c < columns; ++c) {
    cells[0][c] = duckdb_column_name(&result, c);
    right[c] = IsNumeric(duckdb_column_type(&result, c));
  }
  for (idx_t r = 0; r < rows; ++r) {
    for (idx_t c = 0; c < columns; ++c) {
      if (duckdb_value_is_null(&result, c, r)) {
        cells[r + 1][c] = "NULL";
        continue;
      }
      char* text = duckdb_value_varchar(&result, c, r);
      cells[r + 1][c] = text ? text : "";
      duckdb_free(text);
    }
  }
  duckdb_destroy_result(&result);
  for (const auto& row : cells) {
    for (idx_t c = 0; c < columns; ++c) widths[c] = std::max(widths[c], Width(row[c]));
  }
  for (size_t r = 0; r < cells.size(); ++r) {
    for (idx_t c = 0; c < columns; ++c) {
      if (c) out << " | ";
      const std::string& cell = cells[r][c];
      const size_t pad = widths[c] - Width(cell);
      const bool last = c + 1 == columns;
      if (r > 0 && right[c]) {
        Pad(out, pad);
        out << cell;
      } else {
        out << cell;
        if (!last) Pad(out, pad);
      }
    }
    out << '\n';
    if (r == 0) {
      for (idx_t c = 0; c < columns; ++c) {
        if (c) out << "-+-";
        out << std::string(widths[c], '-');
      }
      out << '\n';
    }
  }
  out << "(" << rows << (rows == 1 ? " row)" : " rows)") << '\n';
  return Status::OK();
}

}  // namespace sluice
