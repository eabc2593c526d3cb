#pragma once
// Column: one typed buffer plus a validity mask — the unit operators loop over.
//
// Fixed-width values live in a contiguous buffer (see logical_type.h for the C++ type of each
// logical type). VARCHAR values are std::string_views pointing into memory the column keeps
// alive: its own StringHeap, or buffers shared from other columns (a gather copies the views and
// shares the memory, never the bytes). Validity is a byte per row (1 = valid); a column without
// nulls has no mask at all, which keeps the common path branch-free.
//
// Threading: a Column is owned by one task at a time; it moves between tasks inside a Batch.

#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "types/logical_type.h"
#include "types/value.h"

namespace sluice {

/// Append-only arena for string bytes; chunks never move, so views stay valid.
class StringHeap {
 public:
  std::string_view Add(std::string_view s);
  size_t bytes() const { return bytes_; }

 private:
  std::vector<std::unique_ptr<char[]>> chunks_;
  size_t chunk_used_ = 0;
  size_t chunk_size_ = 0;
  size_t bytes_ = 0;
};

class Column;
using ColumnPtr = std::shared_ptr<Column>;

class Column {
 public:
  explicit Column(LogicalType type, size_t capacity = 0);

  const LogicalType& type() const { return type_; }
  size_t size() const { return size_; }

  /// Typed access to the value buffer. T must match the physical type (logical_type.h).
  template <typename T>
  T* data() {
    return reinterpret_cast<T*>(buffer_.data());
  }
  template <typename T>
  const T* data() const {
    return reinterpret_cast<const T*>(buffer_.data());
  }
  template <typename T>
  T Get(size_t row) const {
    return data<T>()[row];
  }

  /// Grows or shrinks to `rows` values. New values are zero / empty and valid.
  void Resize(size_t rows);
  void Reserve(size_t rows);

  // Validity.
  bool HasNulls() const { return !validity_.empty(); }
  bool IsNull(size_t row) const { return !validity_.empty() && validity_[row] == 0; }
  void SetNull(size_t row, bool is_null);
  /// 1 = valid; nullptr when the column has no nulls.
  const uint8_t* validity() const { return validity_.empty() ? nullptr : validity_.data(); }
  /// Materializes the mask (all valid) and returns it for writing.
  uint8_t* MutableValidity();

  // Appending (used by decoders and builders; operators mostly write through data<T>()).
  template <typename T>
  void Append(T value) {
    Resize(size_ + 1);
    data<T>()[size_ - 1] = value;
  }
  void AppendNull();
  /// Copies the bytes into this column's heap.
  void AppendString(std::string_view s);
  /// Stores a view into this column's heap at `row` (row < size()).
  void SetString(size_t row, std::string_view s);
  std::string_view GetString(size_t row) const { return data<std::string_view>()[row]; }
  StringHeap& heap();
  /// Keeps `owner` alive as long as this column, for views that point into it (zero-copy decode).
  void KeepAlive(std::shared_ptr<const void> owner);

  /// Appends a Value (slow path: tests, literals). The value's type must match.
  void AppendValue(const Value& value);
  /// Reads row as a Value (slow path).
  Value GetValue(size_t row) const;

  /// A new column holding rows[0..count) of this one, in that order; string bytes are shared.
  ColumnPtr Gather(const uint32_t* rows, size_t count) const;
  /// A new column with `count` rows starting at `offset`.
  ColumnPtr Slice(size_t offset, size_t count) const;
  /// Appends rows [offset, offset+count) of `other` (same type).
  void AppendFrom(const Column& other, size_t offset, size_t count);
  /// A column of `count` copies of `value`.
  static ColumnPtr Constant(const Value& value, LogicalType type, size_t count);

 private:
  void ShareMemoryOf(const Column& other);

  LogicalType type_;
  size_t size_ = 0;
  size_t width_;
  std::vector<uint8_t> buffer_;  // operator new aligns to 16 bytes, enough for __int128
  std::vector<uint8_t> validity_;
  std::shared_ptr<StringHeap> heap_;
  std::vector<std::shared_ptr<const void>> keep_alive_;
};

}  // namespace sluice
