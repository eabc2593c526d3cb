// RowStore checkpoints: per column its validity and value bytes, read straight into the columns.

#include <span>

#include "exec/operators/changelog_normalize/row_store.h"
#include "exec/operators/state_format.h"

namespace sluice {

void RowStore::WriteState(StateEncoder& out) const {
  out.U64(slots_);
  out.U32(static_cast<uint32_t>(columns_.size()));
  for (const ColumnPtr& column : columns_) {
    const LogicalType& type = column->type();
    out.U8(static_cast<uint8_t>(type.id));
    const uint8_t* valid = column->validity();
    out.Bool(valid != nullptr);
    if (valid) out.PodSpan(valid, slots_);
    if (type.id == TypeId::kVarchar) {
      WriteStrings(out,
                   std::span<const std::string_view>(column->data<std::string_view>(), slots_));
    } else {
      out.PodSpan(column->data<uint8_t>(), slots_ * type.PhysicalSize());
    }
  }
}

size_t RowStore::StateBytes() const {
  size_t bytes = 16;
  for (size_t c = 0; c < columns_.size(); ++c) {
    Column& column = *columns_[c];  // heap() is not const
    bytes +=
        32 + slots_ * (column.type().id == TypeId::kVarchar ? 4 : column.type().PhysicalSize());
    if (column.validity()) bytes += slots_;
    if (column.type().id == TypeId::kVarchar) bytes += column.heap().bytes() - dead_bytes_[c];
  }
  return bytes;
}

Status RowStore::ReadState(StateDecoder& in) {
  uint64_t slots = 0;
  uint32_t num_columns = 0;
  SLUICE_RETURN_IF_ERROR(in.U64(&slots));
  SLUICE_RETURN_IF_ERROR(in.U32(&num_columns));
  if (num_columns != columns_.size()) return InconsistentState(in, "row store column count");
  // Every slot takes at least a byte per column in the input: bounds the allocation below.
  if (slots > in.remaining()) return InconsistentState(in, "row store size");
  std::vector<ColumnPtr> columns;
  for (const ColumnPtr& old : columns_) {
    const LogicalType& type = old->type();
    uint8_t id = 0;
    bool has_validity = false;
    SLUICE_RETURN_IF_ERROR(in.U8(&id));
    if (id != static_cast<uint8_t>(type.id)) return InconsistentState(in, "row store column type");
    SLUICE_RETURN_IF_ERROR(in.Bool(&has_validity));
    auto column = std::make_shared<Column>(type);
    column->Resize(slots);
    if (has_validity) {
      uint64_t count = 0;
      SLUICE_RETURN_IF_ERROR(in.U64(&count));
      if (count != slots) return InconsistentState(in, "row store validity size");
      SLUICE_RETURN_IF_ERROR(in.Raw(column->MutableValidity(), slots, "validity"));
    }
    if (type.id == TypeId::kVarchar) {
      std::vector<uint32_t> lengths;
      std::string_view blob;
      SLUICE_RETURN_IF_ERROR(ReadStrings(in, &lengths, &blob));
      if (lengths.size() != slots) return InconsistentState(in, "row store string count");
      const std::string_view stored = column->heap().Add(blob);
      std::string_view* values = column->data<std::string_view>();
      size_t offset = 0;
      for (size_t s = 0; s < slots; ++s) {
        values[s] = stored.substr(offset, lengths[s]);
        offset += lengths[s];
      }
    } else {
      uint64_t bytes = 0;
      SLUICE_RETURN_IF_ERROR(in.U64(&bytes));
      if (bytes != slots * type.PhysicalSize()) {
        return InconsistentState(in, "row store value size");
      }
      SLUICE_RETURN_IF_ERROR(in.Raw(column->data<uint8_t>(), bytes, "values"));
    }
    columns.push_back(std::move(column));
  }
  columns_ = std::move(columns);
  dead_bytes_.assign(columns_.size(), 0);
  slots_ = slots;
  return Status::OK();
}

}  // namespace sluice
