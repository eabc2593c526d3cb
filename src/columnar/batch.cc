#include "columnar/batch.h"

#include <strings.h>

namespace sluice {

std::string_view RowKindShortString(RowKind kind) {
  switch (kind) {
    case RowKind::kInsert:
      return "+I";
    case RowKind::kUpdateBefore:
      return "-U";
    case RowKind::kUpdateAfter:
      return "+U";
    case RowKind::kDelete:
      return "-D";
  }
  return "?";
}

int Schema::IndexOf(std::string_view name) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name.size() == name.size() &&
        strncasecmp(fields[i].name.data(), name.data(), name.size()) == 0) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

std::string Schema::ToString() const {
  std::string s = "(";
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) s += ", ";
    s += fields[i].name + " " + fields[i].type.ToString();
    if (!fields[i].nullable) s += " NOT NULL";
  }
  return s + ")";
}

Batch Batch::Empty(const Schema& schema, size_t capacity) {
  std::vector<ColumnPtr> columns;
  columns.reserve(schema.size());
  for (const auto& f : schema.fields) columns.push_back(std::make_shared<Column>(f.type, capacity));
  return Batch(std::move(columns), 0);
}

Batch Batch::Gather(const uint32_t* rows, size_t count) const {
  std::vector<ColumnPtr> out;
  out.reserve(columns_.size());
  for (const auto& c : columns_) out.push_back(c->Gather(rows, count));
  Batch b(std::move(out), count);
  if (!row_kinds_.empty()) {
    b.row_kinds_.resize(count);
    for (size_t i = 0; i < count; ++i) b.row_kinds_[i] = row_kinds_[rows[i]];
  }
  return b;
}

Batch Batch::Slice(size_t offset, size_t count) const {
  std::vector<ColumnPtr> out;
  out.reserve(columns_.size());
  for (const auto& c : columns_) out.push_back(c->Slice(offset, count));
  Batch b(std::move(out), count);
  if (!row_kinds_.empty()) {
    b.row_kinds_.assign(row_kinds_.begin() + offset, row_kinds_.begin() + offset + count);
  }
  return b;
}

void Batch::Append(const Batch& other) {
  if (columns_.empty()) {
    *this = other.Slice(0, other.num_rows());
    return;
  }
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].use_count() > 1) columns_[i] = columns_[i]->Slice(0, num_rows_);
    columns_[i]->AppendFrom(*other.columns_[i], 0, other.num_rows());
  }
  if (!row_kinds_.empty() || !other.row_kinds_.empty()) {
    row_kinds_.resize(num_rows_, RowKind::kInsert);
    if (other.row_kinds_.empty()) {
      row_kinds_.resize(num_rows_ + other.num_rows(), RowKind::kInsert);
    } else {
      row_kinds_.insert(row_kinds_.end(), other.row_kinds_.begin(), other.row_kinds_.end());
    }
  }
  num_rows_ += other.num_rows();
}

std::string Batch::RowToString(size_t row) const {
  std::string s(RowKindShortString(row_kind(row)));
  s += "[";
  for (size_t c = 0; c < columns_.size(); ++c) {
    if (c) s += ", ";
    // Flink's print format writes SQL NULL as "null".
    s += columns_[c]->IsNull(row) ? "null" : columns_[c]->GetValue(row).ToString();
  }
  return s + "]";
}

BatchBuilder::BatchBuilder(const Schema& schema) : schema_(schema), batch_(Batch::Empty(schema)) {}

void BatchBuilder::AppendRow(const std::vector<Value>& row, RowKind kind) {
  for (size_t c = 0; c < schema_.size(); ++c) {
    batch_.mutable_column(c)->AppendValue(c < row.size() ? row[c] : Value::Null(schema_[c].type));
  }
  if (kind != RowKind::kInsert && !any_kind_) {
    any_kind_ = true;
    batch_.mutable_row_kinds().assign(batch_.num_rows(), RowKind::kInsert);
  }
  if (any_kind_) batch_.mutable_row_kinds().push_back(kind);
  batch_.set_num_rows(batch_.num_rows() + 1);
}

Batch BatchBuilder::Finish() {
  Batch out = std::move(batch_);
  batch_ = Batch::Empty(schema_);
  any_kind_ = false;
  return out;
}

}  // namespace sluice
