#include "connectors/duckdb/changelog_buffer.h"

#include <algorithm>

namespace sluice {

void ChangelogBuffer::AppendKey(const Batch& batch, size_t row, std::string* key) const {
  for (int c : key_columns_) {
    const Column& column = *batch.column(c);
    if (column.IsNull(row)) {
      key->push_back('\0');
      continue;
    }
    key->push_back('\1');
    if (column.type().id == TypeId::kVarchar) {
      std::string_view s = column.GetString(row);
      uint32_t size = static_cast<uint32_t>(s.size());
      key->append(reinterpret_cast<const char*>(&size), sizeof(size));  // keeps keys unambiguous
      key->append(s);
    } else {
      const size_t width = column.type().PhysicalSize();
      key->append(reinterpret_cast<const char*>(column.data<uint8_t>()) + row * width, width);
    }
  }
}

void ChangelogBuffer::Add(const Batch& batch) {
  const uint32_t base = static_cast<uint32_t>(rows_.num_rows());
  if (rows_.num_columns() == 0) rows_ = Batch::Empty(schema_);
  rows_.Append(batch);
  if (!rows_.has_row_kinds()) rows_.mutable_row_kinds().assign(rows_.num_rows(), RowKind::kInsert);
  for (size_t row = 0; row < batch.num_rows(); ++row) {
    key_.clear();
    AppendKey(batch, row, &key_);
    last_row_[key_] = base + static_cast<uint32_t>(row);
  }
}

void ChangelogBuffer::Reduce(std::vector<uint32_t>* upserts, std::vector<uint32_t>* deletes) const {
  std::vector<uint32_t> last;
  last.reserve(last_row_.size());
  for (const auto& [key, row] : last_row_) last.push_back(row);
  std::sort(last.begin(), last.end());
  for (uint32_t row : last) {
    (IsAccumulate(rows_.row_kind(row)) ? upserts : deletes)->push_back(row);
  }
}

void ChangelogBuffer::Clear() {
  rows_ = Batch();
  last_row_.clear();
}

}  // namespace sluice
