#pragma once
// Batch: the unit of data that flows between operators — a few thousand rows, column by column,
// plus the changelog kind of each row.
//
// Append-only streams leave row_kinds empty (every row is +I). Updating streams (GROUP BY without
// a window, upsert sources) carry one RowKind per row, as Flink's RowKind: +I, -U, +U, -D.
// Columns are shared_ptrs so a projection can pass a column through without copying it.

#include <string>
#include <vector>

#include "columnar/column.h"

namespace sluice {

enum class RowKind : uint8_t { kInsert = 0, kUpdateBefore = 1, kUpdateAfter = 2, kDelete = 3 };

/// "+I", "-U", "+U", "-D".
std::string_view RowKindShortString(RowKind kind);
/// +I and +U add a row to a result; -U and -D take one away.
inline bool IsAccumulate(RowKind kind) {
  return kind == RowKind::kInsert || kind == RowKind::kUpdateAfter;
}

/// Column names and types of a stream or table.
struct Field {
  std::string name;
  LogicalType type;
  bool nullable = true;
};

struct Schema {
  std::vector<Field> fields;

  size_t size() const { return fields.size(); }
  const Field& operator[](size_t i) const { return fields[i]; }
  /// Index of the column named `name` (case-insensitive, as Flink's default), or -1.
  int IndexOf(std::string_view name) const;
  std::string ToString() const;
};

class Batch {
 public:
  Batch() = default;
  Batch(std::vector<ColumnPtr> columns, size_t num_rows)
      : columns_(std::move(columns)), num_rows_(num_rows) {}
  /// An empty batch with one empty column per field.
  static Batch Empty(const Schema& schema, size_t capacity = 0);

  size_t num_rows() const { return num_rows_; }
  size_t num_columns() const { return columns_.size(); }
  const ColumnPtr& column(size_t i) const { return columns_[i]; }
  ColumnPtr& mutable_column(size_t i) { return columns_[i]; }
  const std::vector<ColumnPtr>& columns() const { return columns_; }
  void AddColumn(ColumnPtr column) { columns_.push_back(std::move(column)); }
  void set_num_rows(size_t rows) { num_rows_ = rows; }

  bool has_row_kinds() const { return !row_kinds_.empty(); }
  RowKind row_kind(size_t row) const {
    return row_kinds_.empty() ? RowKind::kInsert : row_kinds_[row];
  }
  const std::vector<RowKind>& row_kinds() const { return row_kinds_; }
  std::vector<RowKind>& mutable_row_kinds() { return row_kinds_; }
  void set_row_kinds(std::vector<RowKind> kinds) { row_kinds_ = std::move(kinds); }

  /// Rows rows[0..count) in that order (columns gathered, row kinds kept).
  Batch Gather(const uint32_t* rows, size_t count) const;
  Batch Slice(size_t offset, size_t count) const;
  /// Appends all rows of `other` (same column types).
  void Append(const Batch& other);

  /// Row `row` in Flink's print format: "+I[1, abc, 2024-01-01T00:01, null]".
  std::string RowToString(size_t row) const;

 private:
  std::vector<ColumnPtr> columns_;
  std::vector<RowKind> row_kinds_;
  size_t num_rows_ = 0;
};

/// Builds a Batch row by row from Values — for tests and slow paths.
class BatchBuilder {
 public:
  explicit BatchBuilder(const Schema& schema);
  void AppendRow(const std::vector<Value>& row, RowKind kind = RowKind::kInsert);
  Batch Finish();

 private:
  Schema schema_;
  Batch batch_;
  bool any_kind_ = false;
};

}  // namespace sluice
