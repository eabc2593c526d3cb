#pragma once
// RowStore: one full row per slot (a key's id in a GroupKeyTable), stored column by column in
// Columns indexed by slot — the state of ChangelogNormalize (the last row of each key).
//
// Fixed-width values live in the column's buffer; VARCHAR bytes are copied into the column's
// StringHeap. Bytes of overwritten or released strings are counted and reclaimed by rebuilding
// the column once they exceed kMinDeadBytes and half of its heap. Rows read out share the heap
// (Column::Gather), so a rebuilt column's old heap lives on while emitted batches use it.

#include <cstdint>
#include <vector>

#include "columnar/batch.h"
#include "runtime/state_codec.h"

namespace sluice {

class RowStore {
 public:
  /// Dead string bytes of a column are reclaimed once they exceed this and half of its heap.
  static constexpr size_t kMinDeadBytes = 64 * 1024;

  explicit RowStore(const Schema& schema);

  size_t num_columns() const { return columns_.size(); }
  size_t num_slots() const { return slots_; }
  /// Grows to at least `slots` slots (new slots hold zero / empty values).
  void Reserve(size_t slots);
  /// slot slots[i] := row rows[i] of `batch` (the store's layout), column by column.
  void Write(const Batch& batch, const uint32_t* rows, const uint32_t* slots, size_t count);
  /// Forgets the rows of slots[0..count); their string bytes become reclaimable.
  void Release(const uint32_t* slots, size_t count);
  /// The rows of slots[0..count), in that order (string bytes shared with the store).
  Batch Read(const uint32_t* slots, size_t count) const;
  /// Column `c`, indexed by slot (for comparing stored rows with new ones).
  const Column& column(size_t c) const { return *columns_[c]; }
  /// String bytes held by the store's heaps, live and dead (for tests and metrics).
  size_t string_bytes() const;

  /// Checkpoints: every slot of every column as it is (VARCHAR as lengths plus one blob, so
  /// dead string bytes are not written).
  void WriteState(StateEncoder& out) const;
  /// About the bytes WriteState writes.
  size_t StateBytes() const;
  /// Replaces the store (same schema) with what WriteState wrote.
  Status ReadState(StateDecoder& in);

 private:
  void WriteColumn(size_t c, const Column& from, const uint32_t* rows, const uint32_t* slots,
                   size_t count);
  void MaybeCompact(size_t c);

  std::vector<ColumnPtr> columns_;
  std::vector<size_t> dead_bytes_;  // per column: bytes of strings no slot refers to
  size_t slots_ = 0;
};

}  // namespace sluice
