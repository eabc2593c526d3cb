#pragma once
// GroupKeyCodec: turns the group-key columns of a batch into EncodedKeys, and the keys stored in a
// GroupKeyTable back into output columns. Both directions work a column at a time.
//
// kFixed holds one BOOLEAN/INT/DATE/BIGINT/TIMESTAMP/TIMESTAMP_LTZ/INTERVAL/DOUBLE key as 64 bits.
// kBytes concatenates, per key column, a validity byte (0 = NULL) and, when valid, the value's
// bytes (VARCHAR: a 4-byte length, then the bytes). DOUBLE -0.0 is stored as 0.0 because HashRows
// hashes them alike: equal keys must land in the same group and the same exchange channel.

#include <vector>

#include "columnar/batch.h"
#include "exec/operators/encoded_keys.h"
#include "exec/operators/group_key_table.h"

namespace sluice {

class GroupKeyCodec {
 public:
  GroupKeyCodec() = default;  // no keys
  GroupKeyCodec(std::vector<int> key_columns, std::vector<LogicalType> key_types);

  KeyLayout layout() const { return layout_; }
  const std::vector<int>& key_columns() const { return key_columns_; }
  const std::vector<LogicalType>& key_types() const { return key_types_; }

  /// Encodes the key columns of every row of `batch` (types as given to the constructor).
  void Encode(const Batch& batch, EncodedKeys* out) const;
  /// Whether `key` is a byte string Encode could have produced for this codec (kBytes): checked
  /// on restored keys, which Decode would otherwise read past their end.
  bool IsWellFormed(std::string_view key) const;
  /// The key columns of groups[0..count) of `table`, in that order.
  std::vector<ColumnPtr> Decode(const GroupKeyTable& table, const uint32_t* groups,
                                size_t count) const;

 private:
  void EncodeFixed(const Column& column, size_t rows, EncodedKeys* out) const;
  void EncodeBytes(const Batch& batch, EncodedKeys* out) const;
  ColumnPtr DecodeFixed(const GroupKeyTable& table, const uint32_t* groups, size_t count) const;
  std::vector<ColumnPtr> DecodeBytes(const GroupKeyTable& table, const uint32_t* groups,
                                     size_t count) const;

  std::vector<int> key_columns_;
  std::vector<LogicalType> key_types_;
  KeyLayout layout_ = KeyLayout::kNone;
};

}  // namespace sluice
