#include "exec/operators/changelog_normalize/row_store.h"

#include <cstring>
#include <string_view>

namespace sluice {

namespace {

template <typename T>
void CopyValues(const Column& from, const uint32_t* rows, const uint32_t* slots, size_t count,
                Column* to) {
  const T* src = from.data<T>();
  T* dst = to->data<T>();
  for (size_t i = 0; i < count; ++i) dst[slots[i]] = src[rows[i]];
}

void CopyValidity(const Column& from, const uint32_t* rows, const uint32_t* slots, size_t count,
                  Column* to) {
  if (const uint8_t* valid = from.validity()) {
    uint8_t* dst = to->MutableValidity();
    for (size_t i = 0; i < count; ++i) dst[slots[i]] = valid[rows[i]];
  } else if (to->validity()) {
    uint8_t* dst = to->MutableValidity();
    for (size_t i = 0; i < count; ++i) dst[slots[i]] = 1;
  }
}

}  // namespace

RowStore::RowStore(const Schema& schema) : dead_bytes_(schema.size(), 0) {
  columns_.reserve(schema.size());
  for (const Field& f : schema.fields) columns_.push_back(std::make_shared<Column>(f.type));
}

void RowStore::Reserve(size_t slots) {
  if (slots <= slots_) return;
  // Grow geometrically: slots are handed out one key at a time.
  size_t size = slots_ == 0 ? slots : slots_;
  while (size < slots) size *= 2;
  for (ColumnPtr& c : columns_) c->Resize(size);
  slots_ = size;
}

void RowStore::Write(const Batch& batch, const uint32_t* rows, const uint32_t* slots,
                     size_t count) {
  if (count == 0) return;
  for (size_t c = 0; c < columns_.size(); ++c) {
    WriteColumn(c, *batch.column(c), rows, slots, count);
  }
}

void RowStore::WriteColumn(size_t c, const Column& from, const uint32_t* rows,
                           const uint32_t* slots, size_t count) {
  Column* to = columns_[c].get();
  switch (to->type().id) {
    case TypeId::kNull:
    case TypeId::kBoolean:
      CopyValues<uint8_t>(from, rows, slots, count, to);
      break;
    case TypeId::kInt:
    case TypeId::kDate:
      CopyValues<int32_t>(from, rows, slots, count, to);
      break;
    case TypeId::kDecimal:
      CopyValues<int128_t>(from, rows, slots, count, to);
      break;
    case TypeId::kVarchar: {
      const std::string_view* src = from.data<std::string_view>();
      const uint8_t* valid = from.validity();
      std::string_view* dst = to->data<std::string_view>();
      StringHeap& heap = to->heap();
      size_t dead = 0;
      for (size_t i = 0; i < count; ++i) {
        std::string_view& slot = dst[slots[i]];
        dead += slot.size();
        const uint32_t row = rows[i];
        slot = valid && !valid[row] ? std::string_view() : heap.Add(src[row]);
      }
      dead_bytes_[c] += dead;
      break;
    }
    default:  // 8-byte values and DOUBLE
      CopyValues<int64_t>(from, rows, slots, count, to);
  }
  CopyValidity(from, rows, slots, count, to);
  if (to->type().id == TypeId::kVarchar) MaybeCompact(c);
}

void RowStore::Release(const uint32_t* slots, size_t count) {
  for (size_t c = 0; c < columns_.size(); ++c) {
    Column* column = columns_[c].get();
    if (column->type().id != TypeId::kVarchar) continue;
    std::string_view* values = column->data<std::string_view>();
    size_t dead = 0;
    for (size_t i = 0; i < count; ++i) {
      dead += values[slots[i]].size();
      values[slots[i]] = std::string_view();
    }
    dead_bytes_[c] += dead;
    MaybeCompact(c);
  }
}

void RowStore::MaybeCompact(size_t c) {
  Column& old = *columns_[c];
  const size_t dead = dead_bytes_[c];
  if (dead < kMinDeadBytes || dead * 2 < old.heap().bytes()) return;
  // Copy the live strings into a fresh heap; batches read earlier keep the old one alive.
  auto fresh = std::make_shared<Column>(old.type());
  fresh->Resize(slots_);
  if (const uint8_t* valid = old.validity()) {
    std::memcpy(fresh->MutableValidity(), valid, slots_);
  }
  const std::string_view* values = old.data<std::string_view>();
  for (size_t s = 0; s < slots_; ++s) {
    if (!values[s].empty()) fresh->SetString(s, values[s]);
  }
  columns_[c] = std::move(fresh);
  dead_bytes_[c] = 0;
}

Batch RowStore::Read(const uint32_t* slots, size_t count) const {
  std::vector<ColumnPtr> columns;
  columns.reserve(columns_.size());
  for (const ColumnPtr& c : columns_) columns.push_back(c->Gather(slots, count));
  return Batch(std::move(columns), count);
}

size_t RowStore::string_bytes() const {
  size_t bytes = 0;
  for (const ColumnPtr& c : columns_) {
    if (c->type().id == TypeId::kVarchar) bytes += c->heap().bytes();
  }
  return bytes;
}

}  // namespace sluice
