#pragma once
// AggregateTable: group keys -> accumulators of every aggregate call. One table is the state of a
// window slice, of a merged window being fired, or of a whole non-windowed GROUP BY.

#include <memory>
#include <vector>

#include "exec/operators/aggregate_state.h"
#include "exec/operators/group_key_codec.h"
#include "exec/operators/group_key_table.h"

namespace sluice {

class AggregateTable {
 public:
  /// `prototypes`: one empty state per aggregate call; the table holds its own clones.
  AggregateTable(KeyLayout layout, const std::vector<std::unique_ptr<AggregateState>>& prototypes);

  const GroupKeyTable& keys() const { return keys_; }
  size_t size() const { return keys_.size(); }
  size_t num_aggregates() const { return states_.size(); }

  /// Groups of rows rows[0..count) (see GroupKeyTable::FindOrInsert); new groups start empty and
  /// are appended to `created` when given.
  void FindOrInsert(const EncodedKeys& keys, const uint32_t* rows, size_t count,
                    const uint8_t* may_insert, uint32_t* groups,
                    std::vector<uint32_t>* created = nullptr);
  /// Adds (or retracts, see AggregateState::Update) rows[i] to groups[i] in every aggregate;
  /// arguments[j] is call j's argument column (null for COUNT(*)).
  void Update(const std::vector<const Column*>& arguments, const uint32_t* rows,
              const uint32_t* groups, const uint8_t* retract, size_t count);
  /// Adds every group of `source` (built from the same prototypes) to the group with its key.
  void MergeFrom(const AggregateTable& source);
  /// Adds groups source_groups[i] of `source` to the group with its key; (*groups)[i] = that
  /// group here.
  void MergeGroupsFrom(const AggregateTable& source, const std::vector<uint32_t>& source_groups,
                       std::vector<uint32_t>* groups);
  /// A new table with the same keys and accumulators.
  std::unique_ptr<AggregateTable> Clone() const;
  /// Live groups in id order (insertion order while nothing was erased).
  std::vector<uint32_t> LiveGroups() const;
  /// One result column per aggregate for groups[0..count).
  std::vector<ColumnPtr> Finalize(const uint32_t* groups, size_t count);
  /// Drops a group and frees its accumulators' memory (MIN/MAX values, DISTINCT sets).
  void Erase(uint32_t group);

  /// Checkpoints: keys and accumulators as they are (AggregateState::WriteState).
  void WriteState(StateEncoder& out) const;
  /// About the bytes WriteState writes.
  size_t StateBytes() const;
  /// Replaces this table (built from the same prototypes) with what WriteState wrote.
  Status ReadState(StateDecoder& in, const GroupKeyCodec& codec);

 private:
  /// Sizes the states for new ids and empties reused ones.
  void PrepareCreated();

  GroupKeyTable keys_;
  std::vector<std::unique_ptr<AggregateState>> states_;
  size_t sized_groups_ = 0;
  std::vector<uint32_t> created_;
};

}  // namespace sluice
